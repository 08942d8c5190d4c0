"""Group results read from answers by their stable keys, in the workshop's language."""

from facilitator import demo
from facilitator.summaries.results import count_by, group_results


def test_demo_results_read_like_the_seed(app):
    _, workshop, _ = demo.load_demo("demo@example.org", "demo-workshop")
    results = group_results(workshop)
    assert [r.group.name for r in results] == ["Група 1", "Група 2", "Група 3", "Група 4", "Група 5"]
    second = results[1]
    assert second.category == "e-inclusion" and second.category_label == "Е-включване"
    assert second.service == "Обучение в ИКТ на възрастни с двигателни увреждания"
    assert second.target_group == "Възрастни с увреждания от дом за хора с увреждания"
    # A choice field shows its label in the process's language, not its key.
    assert second.stages[0].answers[0][1] == "Е-включване"
    assert count_by(results, "category_label") == {"Е-включване": 2, "Е-бизнес": 1, "Е-култура": 1, "Е-образование": 1}


def test_results_in_another_language(app):
    _, workshop, _ = demo.load_demo("demo@example.org", "demo-workshop")
    assert group_results(workshop, locale="en")[2].category_label == "E-business"
