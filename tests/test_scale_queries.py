"""The query-count half of the benchmark, asserted: each key page of `make bench`
takes the same number of SQL queries at two data sizes (no query per row of a
list, per organisation of a tree or per member of a branch). Timings are never
asserted; `make bench` reports them."""

import pytest

from scale import generator
from scale.bench import probe


@pytest.mark.django_db
def test_key_pages_take_the_same_queries_at_two_data_sizes():
    generator.generate(factor=0.02, seed=11, analyze=False)
    people = probe.personas()
    pages = probe.key_pages(people)
    small = probe.count_queries(pages, people)  # raises unless every page answers 200
    small_sizes = probe.sizes()

    generator.wipe()
    generator.generate(factor=0.05, seed=11, analyze=False)
    people = probe.personas()
    large = probe.count_queries(probe.key_pages(people), people)

    assert probe.sizes()["people"] > 2 * small_sizes["people"]
    assert set(small) == {page.name for page in pages}
    assert large == small


@pytest.mark.django_db
def test_the_bench_measures_the_same_branch_at_every_factor():
    """The branch secretary's pages compare like with like: the first subsidiary is
    generated the same whatever the factor."""
    generator.generate(factor=0.02, seed=3, analyze=False)
    first = probe.personas()["_branch"]
    people = sorted(first.people.values_list("name", "status"))
    generator.wipe()
    generator.generate(factor=0.04, seed=3, analyze=False)
    again = probe.personas()["_branch"]
    assert again.name == first.name
    assert sorted(again.people.values_list("name", "status")) == people
