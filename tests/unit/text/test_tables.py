"""indexing.text.tables: rows, headers, captions, wrapped rows, Markdown pipe tables, continuation across pages."""

from __future__ import annotations

from indexing.text.tables import Row, cell_spans, find_tables, is_separator, link_pages, render_row, table_row

PAGE_1 = (
    "Cuadro 1. Aportes con destino al Perú. Montos en millones.\n"
    "| Donante | Monto | Moneda | Estado |\n"
    "| Alemania | 22,2 | EUR | Desembolsado |\n"
    "| Italia (AICS) | 1,8 | EUR | Firmado |\n"
    "Los montos se consignan tal como fueron comunicados."
)
PAGE_2 = "| Finlandia | 1,4 | EUR | Firmado |\n| Austria | 0,7 | EUR | Anunciado |\nNotas\n1. Sin conversión."


class TestFindTables:
    def test_header_rows_caption_and_offsets(self) -> None:
        (table,) = find_tables(PAGE_1, page=1)
        assert table.header == ("Donante", "Monto", "Moneda", "Estado")
        assert [r.cells for r in table.rows] == [
            ("Alemania", "22,2", "EUR", "Desembolsado"),
            ("Italia (AICS)", "1,8", "EUR", "Firmado"),
        ]
        assert table.caption == "Montos en millones."
        assert table.page == 1 and table.columns == 4 and not table.continued
        assert table.header_row is not None and table.header_row.text == "| Donante | Monto | Moneda | Estado |"
        assert PAGE_1[table.start : table.end] == (
            "| Donante | Monto | Moneda | Estado |\n| Alemania | 22,2 | EUR | Desembolsado |\n"
            "| Italia (AICS) | 1,8 | EUR | Firmado |"
        )
        assert all(PAGE_1[r.start : r.end] == r.text for r in table.rows)
        assert [r.page for r in table.rows] == [1, 1]

    def test_first_row_with_figures_is_no_header(self) -> None:
        (table,) = find_tables(PAGE_2, page=2)
        assert table.header == () and table.header_row is None
        assert [r.text for r in table.rows] == [
            "| Finlandia | 1,4 | EUR | Firmado |",
            "| Austria | 0,7 | EUR | Anunciado |",
        ]

    def test_a_data_row_naming_one_column_word_is_no_header(self) -> None:
        text = "| Reino Unido | por precisar | GBP | Anunciado |\n| Canadá | 12 | CAD | Anunciado |"
        assert find_tables(text)[0].header == ()

    def test_header_with_a_date_in_one_cell(self) -> None:
        text = "| Cooperante | Compromiso | Avance a diciembre de 2023 |\n| BID | USD 12.300.000 | 88 % |"
        assert find_tables(text)[0].header == ("Cooperante", "Compromiso", "Avance a diciembre de 2023")

    def test_wrapped_row_is_one_row_with_its_line_break(self) -> None:
        text = (
            "| Donante | Monto | Destino | Estado |\n"
            "| BID | 12.300.000 | Superintendencia Nacional de\nMigraciones | Anunciado |\n"
            "| Suiza (COSUDE) | CHF 4,5\nmillones | Vía socios | CHF 2,9\nmillones |"
        )
        (table,) = find_tables(text)
        assert [r.text for r in table.rows] == [
            "| BID | 12.300.000 | Superintendencia Nacional de\nMigraciones | Anunciado |",
            "| Suiza (COSUDE) | CHF 4,5\nmillones | Vía socios | CHF 2,9\nmillones |",
        ]
        assert table.rows[0].cells == ("BID", "12.300.000", "Superintendencia Nacional de Migraciones", "Anunciado")
        assert table.rows[1].cells == ("Suiza (COSUDE)", "CHF 4,5 millones", "Vía socios", "CHF 2,9 millones")

    def test_markdown_pipe_table(self) -> None:
        text = (
            "## 1. Compromisos\n\n| Cooperante | Conferencia | Monto |\n|---|---|---|\n"
            "| España (AECID) | 2020 | 2,5 |\n| Alemania | 2021 | 12 |\n\nTexto."
        )
        (table,) = find_tables(text)
        assert table.header == ("Cooperante", "Conferencia", "Monto")
        assert [r.cells for r in table.rows] == [("España (AECID)", "2020", "2,5"), ("Alemania", "2021", "12")]
        assert table.caption == ""

    def test_markdown_separator_makes_any_first_row_a_header(self) -> None:
        text = "| A | B |\n| :--- | ---: |\n| 1 | 2 |"
        assert find_tables(text)[0].header == ("A", "B")

    def test_docx_style_table_with_spaced_separator(self) -> None:
        text = "| Donante | Monto |\n| --- | --- |\n| Alemania | 22,2 |"
        (table,) = find_tables(text)
        assert table.header == ("Donante", "Monto") and [r.cells for r in table.rows] == [("Alemania", "22,2")]

    def test_a_single_row_is_no_table_and_prose_is_untouched(self) -> None:
        assert find_tables("Un texto | con una barra.\n| Solo | una | fila |\nFin.") == []
        assert find_tables("Sin cuadros.\nOtra línea.") == []

    def test_two_tables_on_one_page(self) -> None:
        text = (
            "| Donante | Monto |\n| Alemania | 12 |\nCuadro 2: en millones de USD.\n"
            "| Donante | Monto |\n| BID | 12,3 |"
        )
        first, second = find_tables(text)
        assert [r.cells for r in first.rows] == [("Alemania", "12")]
        assert [r.cells for r in second.rows] == [("BID", "12,3")] and second.caption == "Cuadro 2: en millones de USD."

    def test_tab_separated_rows(self) -> None:
        (table,) = find_tables("Donante\tMonto\tMoneda\nAlemania\t12\tEUR")
        assert table.header == ("Donante", "Monto", "Moneda") and table.rows[0].cells == ("Alemania", "12", "EUR")


class TestLinkPages:
    def test_a_headerless_table_at_the_top_of_the_next_page_continues(self) -> None:
        texts = [PAGE_1, PAGE_2]
        first, second = link_pages([find_tables(t, n) for n, t in enumerate(texts, start=1)], texts)
        assert not first[0].continued
        assert second[0].continued and second[0].header == ("Donante", "Monto", "Moneda", "Estado")
        assert second[0].caption == "Montos en millones." and second[0].header_row is None
        assert second[0].page == 2 and [r.page for r in second[0].rows] == [2, 2]

    def test_a_repeated_header_continues(self) -> None:
        page_2 = "Cuadro 1 (continuación)\n| Donante | Monto | Moneda | Estado |\n| Austria | 0,7 | EUR | Anunciado |"
        texts = [PAGE_1, page_2]
        _, (second,) = link_pages([find_tables(t) for t in texts], texts)
        assert second.continued and second.header_row is not None and second.caption == "Cuadro 1 (continuación)"

    def test_other_column_count_or_text_before_it_does_not_continue(self) -> None:
        other_shape = "| Finlandia | 1,4 | EUR |\n| Austria | 0,7 | EUR |"
        after_text = "Una sección.\nCon su texto.\nY más texto.\n" + PAGE_2
        for page_2 in (other_shape, after_text):
            texts = [PAGE_1, page_2]
            _, (second,) = link_pages([find_tables(t) for t in texts], texts)
            assert not second.continued and second.header == ()

    def test_a_table_after_a_page_without_tables_does_not_continue(self) -> None:
        texts = [PAGE_1, "Solo texto.", PAGE_2]
        linked = link_pages([find_tables(t) for t in texts], texts)
        assert linked[1] == [] and not linked[2][0].continued


class TestCellsAndRendering:
    def test_cell_spans_trim_and_drop_outer_pipes(self) -> None:
        line = "| Alemania |  22,2 | EUR |"
        assert [line[a:b] for a, b in cell_spans(line)] == ["Alemania", "22,2", "EUR"]

    def test_separator(self) -> None:
        assert is_separator("|---|---|") and is_separator("| :---: | --- |") and not is_separator("| a | b |")

    def test_render_row_names_each_cell_by_its_column(self) -> None:
        row = Row(("Alemania", "22,2", "EUR", "desembolsado"), "| Alemania | 22,2 | EUR | desembolsado |", 1, 0, 37)
        assert render_row(("Donante", "Monto", "Moneda", "Estado"), row) == (
            "Donante: Alemania | Monto: 22,2 | Moneda: EUR | Estado: desembolsado"
        )
        assert render_row((), row) == "Alemania | 22,2 | EUR | desembolsado"
        assert render_row(("Donante",), table_row("| BID |  | USD |")) == "Donante: BID | USD"
