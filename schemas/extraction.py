"""The one model of a plan's extraction: what every stage fills, `vnplans extract --json` prints and the store holds.

The field extractors make `Row`, `Target` and `Deadline` with the values as printed; normalization fills
their `link`, the assignments' `canonical` and the province unit; assembly adds provenance. Fields marked
`_working` carry what a later stage reads (a row's target cell, a span) and are neither dumped nor in the
JSON Schema. The shape follows the answer keys (corpus/gold/FORMAT.md) and adds ids and provenance.
`schemas/extraction.schema.json` is generated from these models (`python -m vnplans.schemas.extraction`);
a test keeps the two in step, and `schemas/records.py` maps them to the store's columns.
"""
from __future__ import annotations

import json
from typing import Any, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field
from pydantic.json_schema import SkipJsonSchema


def _working(description: str) -> Any:
    """A field one stage leaves for a later one: not part of the output."""
    return Field(None, exclude=True, repr=False, description=description)


class Provenance(BaseModel):
    model_config = ConfigDict(extra="forbid")
    doc_id: str = Field(description="SHA-256 of the source file's bytes")
    line: Optional[int] = Field(None, description="1-based source line (text) or block number (DOCX)")
    page: Optional[int] = None
    start: Optional[int] = Field(None, description="character offset into the document text")
    end: Optional[int] = None
    ocr: bool = Field(False, description="read by OCR from a scanned page: check against the page image")


class Deadline(BaseModel):
    model_config = ConfigDict(extra="forbid")
    start: Optional[str] = Field(None, description="ISO date")
    end: Optional[str] = Field(None, description="ISO date")
    recurrence: Optional[Literal["yearly", "quarterly", "monthly"]] = None
    kind: Optional[Literal["ongoing", "on_demand"]] = Field(
        None, description="no date by design: ongoing ('Thường xuyên') or on demand ('Khi có phát sinh')")

    @property
    def empty(self) -> bool:
        return not (self.start or self.end or self.recurrence)


class Period(BaseModel):
    start: Optional[int] = None
    end: Optional[int] = None


class ProvinceOut(BaseModel):
    """The plan's province at its date and the unit it belongs to after the 2025 merger (63 -> 34)."""
    model_config = ConfigDict(extra="forbid")
    code: str = Field(description="administrative code in force at the plan's date")
    official: str
    successor: str = Field(description="the province it is part of since 2025-07-01")
    successor_code: str
    merged: bool = Field(description="true when it was merged into another province")
    regime: Literal["before-merger", "after-merger", "uncertain"] = Field(
        "before-merger", description="the administrative map the plan was issued under (63 provinces and districts, "
                                     "or 34 provinces and communes since 2025-07-01); uncertain is filed as before")
    regime_evidence: Optional[str] = Field(None, description="what settled the regime: the date, the year, a cited "
                                                             "decision, or the units the text names")


class DocumentOut(BaseModel):
    doc_number: Optional[str]
    doc_number_raw: Optional[str] = None
    doc_type: Optional[str]
    issuer: Optional[str]
    province: Optional[str]
    place: Optional[str] = None
    issued_date: Optional[str]
    issued_month: Optional[str] = None
    signer: Optional[str]
    signer_title: Optional[str] = None
    title: Optional[str]
    form: Literal["document", "news"] = "document"
    period: Period = Field(default_factory=Period)
    province_unit: Optional[ProvinceOut] = None
    provenance: dict[str, Provenance] = Field(default_factory=dict)


class SectionOut(BaseModel):
    id: int
    parent: Optional[int]
    kind: str
    label: str
    heading: str
    line: int
    end_line: int
    start: int
    end: int
    page: Optional[int] = None


class AgencyRef(BaseModel):
    """The registry agency (extractors/data/agencies.yaml) a printed name resolved to, and the evidence."""
    model_config = ConfigDict(extra="forbid")
    id: str
    name: str
    kind: str
    level: str
    collective: bool = False
    province: Optional[str] = Field(None, description="the province whose instance this is")
    qualifier: Optional[str] = Field(None, description="words narrowing the agency, e.g. a unit in parentheses")
    current: Optional[str] = Field(None, description="registry id of the agency holding its functions today, "
                                                      "when it was merged away (2025 reorganisation)")
    method: Literal["alias", "alias+qualifier", "pattern", "fuzzy"]
    score: float


class AssignmentOut(BaseModel):
    """One agency in one role on one row, with the office holder split off ("Giám đốc" + "Sở Y tế")."""
    model_config = ConfigDict(extra="forbid")
    role: Literal["lead", "coordinate", "monitor"]
    agency: str
    holder: Optional[str] = None
    printed: str = Field(description="the agency as the plan printed it, abbreviations unexpanded (\"Sở TT&TT\")")
    position: int
    canonical: Optional[AgencyRef] = Field(None, description="null: not in the registry (vnplans agencies --unknown)")


class MetricRef(BaseModel):
    """The catalog entry a row or target links to (extractors/data/metrics.yaml, dti_catalog.yaml)."""
    model_config = ConfigDict(extra="forbid")
    metric: str = Field(description="canonical metric id")
    name: str
    indicator: Optional[str] = Field(None, description="DTI indicator code in the catalog version in force")
    catalog: Optional[str] = Field(None, description="DTI catalog version id")
    method: Literal["code", "parent-code", "sub-item", "via-target", "alias", "fuzzy"]
    score: float


ROLES = ("lead", "coordinate", "monitor")


class Row(BaseModel):
    """A table row or a prose task: an indicator to reach or a task to do, with its agencies by role."""
    table: str
    kind: Literal["indicator", "task"]
    stt: Optional[str]
    group: Optional[str]
    text: str
    max_score: Optional[float] = None
    score: Optional[float] = None
    lead: list[str] = Field(default_factory=list)
    coordinate: list[str] = Field(default_factory=list)
    monitor: list[str] = Field(default_factory=list)
    deadline_raw: Optional[str] = None
    deadline: Deadline = Field(default_factory=Deadline)
    deadline_inherited: Optional[Deadline] = Field(
        None, description="no deadline printed on the row: the period its table or section states, not a printed date")
    deadline_inherited_from: Optional[str] = Field(None, description="the heading the inherited period was read from")
    note: Optional[str] = None
    origin: Literal["table", "prose"] = "table"
    assignments: list[AssignmentOut] = Field(default_factory=list)
    link: Optional[MetricRef] = None
    provenance: Optional[Provenance] = None
    hint: SkipJsonSchema[Optional[str]] = _working("a cell the header vocabulary could not name")
    target: SkipJsonSchema[Optional[str]] = _working("the target cell as printed (\"≥ 80\") of a KPI table")
    unit: SkipJsonSchema[Optional[str]] = _working("the unit cell as printed (\"%\", \"Doanh nghiệp\")")
    target_year: SkipJsonSchema[Optional[int]] = _working("the year the target column's label states")
    target_cells: SkipJsonSchema[list[tuple[str, Optional[int], Optional[str], Optional[str]]]] = Field(
        default_factory=list, exclude=True, repr=False,
        description="a table with several target columns (one a year, one a measure): each target cell as printed, "
                    "with the year, unit and measure its column's label states")
    span: SkipJsonSchema[Optional[Any]] = _working("where the row is in the document text (schemas.document.Span)")
    printed_as: SkipJsonSchema[dict[str, str]] = Field(default_factory=dict, exclude=True, repr=False,
                                                       description="an agency entry -> how the row printed it")

    def deadline_year(self) -> Optional[int]:
        return int(self.deadline.end[:4]) if self.deadline.end else None

    def horizon(self) -> Optional[int]:
        """The year the row's work is due by: its printed deadline, else the period it inherits."""
        end = self.deadline.end or (self.deadline_inherited.end if self.deadline_inherited else None)
        return int(end[:4]) if end else None

    def prints_no_deadline(self) -> bool:
        """Nothing in its deadline cell, not even "Thường xuyên": the row may inherit a heading's period."""
        return self.deadline.empty and self.deadline.kind is None and not self.deadline_raw


class Target(BaseModel):
    metric: str
    comparator: Literal["=", ">=", ">", "<=", "<", "range"]
    value: float
    value_max: Optional[float] = None
    unit: Optional[str]
    year: Optional[int]
    scope: Optional[Literal["tỉnh", "huyện", "xã", "national"]] = Field(
        None, description="the level a target split by level applies to; national: a national target restated as context")
    quote: str
    row_index: Optional[int] = Field(None, description="index into rows of the table row restating this target")
    link: Optional[MetricRef] = None
    provenance: Optional[Provenance] = None
    span: SkipJsonSchema[Optional[Any]] = _working("where the quote is in the document text (schemas.document.Span)")
    listed: SkipJsonSchema[bool] = Field(False, exclude=True, repr=False,
                                         description="read from a KPI table's value column: never merged with prose")


class OcrPage(BaseModel):
    page: int
    confidence: float = Field(description="mean Tesseract word confidence, 0-100")


class PageQuality(BaseModel):
    page: int
    source: Literal["text", "ocr"] = Field(description="read from the PDF's text layer, or by OCR")
    non_syllable: float = Field(description="share of alphabetic tokens that are no Vietnamese syllable")
    single_letter: float = Field(description="share of alphabetic tokens one letter long ('K ế ho ạ ch')")


class Extraction(BaseModel):
    source: str
    doc_id: str
    format: str
    pages: Optional[int] = Field(None, description="page count of a paged format (PDF; DOCX when Word recorded it)")
    ocr_pages: list[OcrPage] = Field(default_factory=list, description="pages read by OCR")
    page_quality: list[PageQuality] = Field(default_factory=list,
                                            description="per PDF page: how it was read and how Vietnamese its text reads")
    document: DocumentOut
    sections: list[SectionOut]
    rows: list[Row]
    targets: list[Target]
    warnings: list[str] = Field(default_factory=list)

    def to_json(self) -> str:
        """What `vnplans extract --json` prints."""
        return json.dumps(self.model_dump(mode="json"), ensure_ascii=False, indent=1)

    def rows_frame(self):
        """The rows as a pandas DataFrame, one per row: agencies joined with "; ", the link and the printed
        deadline's end flattened into columns."""
        return _frame([{**_flat(r.model_dump(mode="json", exclude={"assignments", "provenance"})),
                        "page": r.provenance.page if r.provenance else None,
                        "line": r.provenance.line if r.provenance else None} for r in self.rows])

    def targets_frame(self):
        """The targets as a pandas DataFrame, one per target, with the metric link flattened."""
        return _frame([{**_flat(t.model_dump(mode="json", exclude={"provenance"})),
                        "page": t.provenance.page if t.provenance else None,
                        "line": t.provenance.line if t.provenance else None} for t in self.targets])


def _flat(record: dict) -> dict:
    """Nested objects as prefixed columns (link.metric -> link_metric), lists of names joined with "; "."""
    out = {}
    for k, v in record.items():
        if isinstance(v, dict):
            out.update({f"{k}_{kk}": vv for kk, vv in v.items()})
        elif isinstance(v, list):
            out[k] = "; ".join(map(str, v))
        else:
            out[k] = v
    return out


def _frame(records: list[dict]):
    import pandas  # only the notebook API needs it

    return pandas.DataFrame.from_records(records)


def json_schema() -> dict:
    schema = Extraction.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://vnplans.local/schemas/extraction.schema.json"
    return schema


if __name__ == "__main__":
    print(json.dumps(json_schema(), ensure_ascii=False, indent=1))
