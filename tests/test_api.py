"""The public API: a small set of names on ``analysis``, imported lazily, and the
README's notebook example, run in a real Jupyter kernel."""

from __future__ import annotations

import re
import subprocess
import sys

import nbformat
import pytest
from nbclient import NotebookClient

import analysis
from analysis.settings import ROOT


def test_import_analysis_pulls_in_no_plotting_or_geodata_library():
    code = (
        "import sys, analysis; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & "
        "{'matplotlib', 'geopandas', 'pyogrio', 'shapely', 'folium', 'papermill'}))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_every_public_name_resolves_and_nothing_else_is_offered():
    for name in analysis.__all__:
        assert getattr(analysis, name) is not None, name
    assert sorted(dir(analysis)) == sorted(analysis.__all__)
    with pytest.raises(AttributeError, match="no attribute 'nonsense'"):
        analysis.nonsense  # noqa: B018


def test_extract_tables_from_a_folder_agrees_with_extract(tmp_path):
    """The one-call tables hold the rows ``extract`` writes (same path, kept in memory)."""
    import pandas as pd

    written = analysis.extract_corpus(ROOT / "seeds", tmp_path)
    tables = analysis.extract_tables(ROOT / "seeds")
    for name in ("articles", "mentions", "places", "figures"):
        from_file = pd.read_csv(tmp_path / f"{name}.csv", keep_default_na=False, na_values=[""])
        got = getattr(tables, name)
        assert list(got.columns) == analysis.schema.columns(name)
        assert len(got) == len(from_file) > 0, name
        assert got["article"].astype(str).tolist() == from_file["article"].astype(str).tolist()
    assert written.articles == len(tables.articles) == 5


def test_extract_tables_from_a_dataframe_and_from_one_text():
    import pandas as pd

    df = pd.DataFrame(
        {
            "article": ["a", "b"],
            "text": [
                "Some 12,000 North Korean troops were sent to Russia's Kursk region.",
                "Nordkorea hat rund 10.000 Soldaten nach Russland geschickt.",
            ],
            "lang": ["en", "de"],
        }
    )
    tables = analysis.extract_tables(df)
    assert tables.figures[["article", "value"]].values.tolist() == [["a", 12000.0], ["b", 10000.0]]
    assert "Kursk Oblast" in set(tables.places["place"])
    assert analysis.find_places("Troops arrived in Sudzha.")["place"].tolist() == ["Sudzha"]
    assert analysis.find_figures("Up to 11,000 soldiers.")["value"].tolist() == [11000.0]
    with pytest.raises(ValueError, match="'text' column"):
        analysis.extract_tables(pd.DataFrame({"body": ["x"]}))


def _readme_notebook_code() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Use it in a notebook", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    assert blocks, "the README's notebook section has no python example"
    return "\n".join(blocks)


@pytest.mark.slow
def test_the_readme_notebook_example_runs_and_shows_its_figures_inline(tmp_path):
    """Run in a plain kernel (no magic): the figures display as images, not as reprs."""
    code = _readme_notebook_code().replace('"seeds"', repr(str(ROOT / "seeds")))
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in code.split("\n\n")])
    NotebookClient(
        nb, kernel_name="python3", timeout=300, resources={"metadata": {"path": tmp_path}}
    ).execute()
    outputs = [o for cell in nb.cells for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) >= 2, "each drawing is shown inline"
    texts = [o.get("data", {}).get("text/plain", "") + o.get("text", "") for o in outputs]
    assert not [t for t in texts if "<Figure size" in t], "a figure printed as its repr"


def test_the_readme_lists_each_table_with_the_schema_columns():
    from analysis import schema

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    listed = dict(re.findall(r"^\| `(\w+)\.csv`[^|]*\|[^|]*\| `([\w,]+)` \|$", readme, flags=re.M))
    assert set(listed) == set(schema.TABLES)
    for table, cols in listed.items():
        assert cols.split(",") == schema.columns(table), table


def test_all_lists_exactly_the_lazy_names():
    assert sorted(analysis.__all__) == sorted(["__version__", *analysis._WHERE])
