"""The import rules of ARCHITECTURE.md, checked over the source with `ast`: data flows one way, read ->
extract -> normalize -> store -> read side, and each room imports only what comes before it."""
import ast
from conftest import ROOT

OURS = ("extractors", "pipeline", "schemas")
READ_SIDE = ("pipeline.audit", "pipeline.compare", "pipeline.html", "pipeline.export", "pipeline.serve",
             "pipeline.listings")


def _imports() -> dict[str, set[str]]:
    """Module -> the project modules it imports (at any depth: lazy imports count)."""
    out = {}
    for package in OURS:
        for path in (ROOT / package).rglob("*.py"):
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
            found = set()
            for node in ast.walk(ast.parse(path.read_text("utf-8"))):
                if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    found.update(node.module + "." + alias.name for alias in node.names)
                elif isinstance(node, ast.Import):
                    found.update(a.name for a in node.names)
            # the rooms install under `vnplans` (vnplans.extractors.readers is extractors/readers)
            found = {m.removeprefix("vnplans.") for m in found}
            out[name] = {m for m in found if m.split(".")[0] in OURS}
    modules = set(out)

    def module_of(dotted: str) -> str:
        while dotted not in modules and "." in dotted:
            dotted = dotted.rsplit(".", 1)[0]
        return dotted

    return {m: {module_of(i) for i in found} - {m} for m, found in out.items()}


IMPORTS = _imports()


def test_the_check_sees_the_imports():
    assert "extractors.readers.tables" in IMPORTS["extractors.readers.text_tables"]
    assert "extractors.normalize.plan" in IMPORTS["pipeline.stages"]


def test_readers_import_no_field_extractor():
    allowed = ("extractors.readers", "extractors.errors", "extractors.vocabulary", "schemas")
    bad = {(m, i) for m, deps in IMPORTS.items() if m.startswith("extractors.readers")
           for i in deps if not i.startswith(allowed)}
    assert not bad


def test_field_extractors_import_neither_normalization_nor_the_pipeline():
    bad = {(m, i) for m, deps in IMPORTS.items()
           if m.startswith("extractors") and not m.startswith(("extractors.normalize", "extractors.readers"))
           for i in deps if i.startswith(("extractors.normalize", "pipeline"))}
    assert not bad


def test_nothing_below_the_pipeline_imports_it():
    bad = {(m, i) for m, deps in IMPORTS.items() if not m.startswith("pipeline") for i in deps if i.startswith("pipeline")}
    assert not bad


def test_the_read_side_reads_the_store_not_the_data_files():
    reference = ("extractors.vocabulary", "extractors.normalize", "extractors.provinces", "extractors.agencies")
    found = {(m, i) for m in READ_SIDE for i in IMPORTS.get(m, ())
             if i.startswith(reference)}
    assert not found


def test_normalization_keeps_no_module_level_copy_of_the_reference_data():
    """The registry, catalogs and gazetteer live on a Reference that is passed in, not in module caches."""
    cached = []
    for path in [*(ROOT / "extractors" / "normalize").glob("*.py"), ROOT / "extractors" / "provinces.py"]:
        for node in ast.parse(path.read_text("utf-8")).body:
            if isinstance(node, ast.FunctionDef):
                names = {ast.unparse(d).split("(")[0] for d in node.decorator_list}
                if names & {"functools.lru_cache", "lru_cache", "functools.cache", "cache"}:
                    cached.append(f"{path.name}:{node.name}")
    assert not cached


def test_no_module_imports_another_ones_private_names():
    private = []
    for package in OURS:
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text("utf-8"))):
                if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(("vnplans", *OURS)):
                    private += [f"{path.name}: {node.module}.{a.name}" for a in node.names
                                if a.name.startswith("_") and not a.name.startswith("__")]
    assert not private
