"""Charts are valid SVG that no label can break, and they come with the same numbers as text."""

import xml.etree.ElementTree as ET

import pytest
from flask import render_template_string
from flask_babel import force_locale

from facilitator.report.services import Chart
from facilitator.summaries import charts

SVG = "{http://www.w3.org/2000/svg}"
NASTY = 'Хора <script>alert("x")</script> & "цитати" \'едно\''


def parse(svg):
    return ET.fromstring(str(svg))


def texts(root):
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


@pytest.mark.parametrize("draw", [charts.services_by_category_svg, charts.services_by_target_group_svg])
def test_a_chart_is_labelled_svg_with_a_bar_per_value(app, draw):
    with force_locale("bg"):
        svg = draw({"Е-включване": 2, "Е-бизнес": 1}, "Услуги по категории")
    root = parse(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert title.text == "Услуги по категории"
    assert desc.text == "Е-включване: 2; Е-бизнес: 1"
    assert root.get("font-family") == "DejaVu Sans"
    bars = [r for r in root.iter(f"{SVG}rect") if r.get("height") == "24"]
    assert [int(b.get("width")) for b in bars][0] == 2 * int(bars[1].get("width"))
    assert {"Е-включване", "Е-бизнес", "2", "1"} <= set(texts(root))
    # The strict CSP forbids style attributes: presentation attributes only.
    assert all("style" not in element.attrib for element in root.iter())
    assert "<style" not in str(svg)


def test_labels_with_markup_stay_text(app):
    with force_locale("en"):
        svg = charts.services_by_target_group_svg({NASTY: 3}, 'Title <b>&</b> "quoted"')
    assert "<script>" not in str(svg) and "<b>" not in str(svg)
    root = parse(svg)  # still well-formed XML
    assert root.find(f"{SVG}title").text == 'Title <b>&</b> "quoted"'
    assert texts(root)[0] == 'Title <b>&</b> "quoted"'
    spans = [span.text for span in root.iter(f"{SVG}tspan")]
    assert spans == ["Хора", '<script>alert("x")</script…']
    assert root.find(f"{SVG}desc").text == f"{NASTY}: 3"


def test_long_labels_are_wrapped_and_cut(app):
    label = "Възрастни с увреждания от дом за хора с увреждания в селата на цялата област Кюстендил"
    word = "Супер" * 20
    with force_locale("en"):
        root = parse(charts.services_by_target_group_svg({label: 1, word: 2}, "T"))
    rows = [t for t in root.iter(f"{SVG}text") if t.find(f"{SVG}tspan") is not None]
    lines = [[span.text for span in row.iter(f"{SVG}tspan")] for row in rows]
    assert len(lines[0]) == 2 and lines[0][0] == "Възрастни с увреждания от"
    assert lines[0][1].endswith("…")
    assert all(len(line) <= charts.LABEL_CHARS for row in lines for line in row)
    assert len(lines[1]) == 2 and lines[1][1].endswith("…")
    # The full label is still there, for the tooltip and screen readers.
    assert f"{label}: 1" in [t.text for t in root.iter(f"{SVG}title")]


def test_no_results_yet(app):
    with force_locale("en"):
        root = parse(charts.services_by_category_svg({}, "Services by category"))
    assert "No results yet." in texts(root)
    assert root.find(f"{SVG}desc").text == "No results yet."


def test_the_same_chart_twice_has_the_same_ids_and_different_charts_do_not(app):
    with force_locale("en"):
        one = charts.services_by_category_svg({"A": 1}, "T")
        again = charts.services_by_category_svg({"A": 1}, "T")
        other = charts.services_by_target_group_svg({"A": 1}, "T")
    assert parse(one).get("id") == parse(again).get("id") != parse(other).get("id")


def test_the_text_alternative_is_a_table_of_the_same_numbers(app):
    with app.test_request_context(), force_locale("en"):
        counts = {NASTY: 2, "Е-бизнес": 1}
        chart = Chart(
            "target-group",
            charts.services_by_target_group_svg(counts, "Services"),
            "Services",
            "Target group",
            "Number of services",
            [(k, str(v)) for k, v in counts.items()],
        )
        html = render_template_string(
            '{% from "report/_chart.html" import chart_figure %}{{ chart_figure(c) }}', c=chart
        )
    assert "<details" in html and "<table" in html
    escaped = "Хора &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#34;цитати&#34; &#39;едно&#39;"
    assert f'<th scope="row">{escaped}</th>' in html
    assert "<td>2</td>" in html and "<td>1</td>" in html
    assert "<script>" not in html
