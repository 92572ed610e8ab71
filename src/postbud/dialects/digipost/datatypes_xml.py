"""Digipost datatypes on the wire: XML elements in the datatypes namespace ↔ `postbud.domain.datatypes`.

The mapping is driven by the models themselves: fields are declared in schema order and each is
named on the wire as `datatype_wire_names.py` says, so one generic reader and writer serve all 21
datatypes. The models know only the core's names; everything a client sees here is in Digipost's.

`parse_datatype` checks the element twice. The models run first because their errors name the field
and rule precisely; `datatypes.xsd` then catches what a model cannot see (element order, stray text,
lexical forms). Either way the caller gets `DataTypeInvalid` with (field path, rule) pairs.
"""

from __future__ import annotations

import re
import threading
import types
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from functools import cache
from importlib.resources import files
from typing import Annotated, Any, Final, Union, get_args, get_origin

from lxml import etree
from pydantic import BaseModel, ValidationError
from pydantic_core import PydanticUndefined

from postbud.domain.datatypes import (
    DATATYPE_KINDS,
    DataType,
    DataTypeInvalid,
    FieldError,
    field_errors,
)

from .datatype_wire_names import wire_name
from .schema import parse_xml

__all__ = [
    "DATATYPES_NAMESPACE",
    "datatypes_schema",
    "parse_datatype",
    "parse_datatype_xml",
    "render_datatype",
    "wire_errors",
]

DATATYPES_NAMESPACE: Final = "http://api.digipost.no/schema/datatypes"

# Types whose XSD counterparts collapse whitespace; everything else is compared verbatim.
_WHITESPACE_COLLAPSING: Final = (bool, int, float, Decimal)


@dataclass(frozen=True, slots=True)
class _Field:
    name: str
    element: str
    repeated: bool
    model: type[BaseModel] | None
    collapse_whitespace: bool
    has_xsd_default: bool


def _unwrap(annotation: Any) -> Any:
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            members = [arg for arg in get_args(annotation) if arg is not type(None)]
            if len(members) != 1:
                raise TypeError(f"unsupported union in datatype model: {annotation!r}")
            annotation = members[0]
        else:
            return annotation


@cache
def _fields(model: type[BaseModel]) -> tuple[_Field, ...]:
    result = []
    for name, info in model.model_fields.items():
        annotation = _unwrap(info.annotation)
        repeated = get_origin(annotation) is tuple
        if repeated:
            annotation = _unwrap(get_args(annotation)[0])
        nested = annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None
        result.append(
            _Field(
                name=name,
                element=wire_name(model, name),
                repeated=repeated,
                model=nested,
                collapse_whitespace=annotation in _WHITESPACE_COLLAPSING,
                has_xsd_default=info.default not in (None, PydanticUndefined) and not repeated,
            )
        )
    return tuple(result)


@cache
def _fields_by_element(model: type[BaseModel]) -> dict[str, _Field]:
    return {field.element: field for field in _fields(model)}


@cache
def _fields_by_name(model: type[BaseModel]) -> dict[str, _Field]:
    return {field.name: field for field in _fields(model)}


def _qname(local: str) -> str:
    return f"{{{DATATYPES_NAMESPACE}}}{local}"


# ---------------------------------------------------------------------------------------------- parse


def parse_datatype(element: etree._Element) -> DataType:
    """Read one datatype element (any prefix, datatypes namespace) into its model.

    Raises `DataTypeInvalid` naming each offending field, e.g. ``("appointment/address/postal-code",
    "maxLength=10")``.
    """
    qname = etree.QName(element)
    if qname.namespace != DATATYPES_NAMESPACE:
        raise DataTypeInvalid([(qname.localname, f"namespace={DATATYPES_NAMESPACE}")])
    kind = qname.localname
    model = DATATYPE_KINDS.get(kind)
    if model is None:
        raise DataTypeInvalid([(kind, "unknown-datatype")])

    errors: list[FieldError] = []
    data = _read_children(element, model, kind, errors)
    try:
        datatype = model.model_validate(data)
    except ValidationError as exc:
        errors.extend(wire_errors(field_errors(kind, exc)))
    if errors:
        raise DataTypeInvalid(errors)

    schema_errors = _schema_errors(element, model, kind)
    if schema_errors:
        raise DataTypeInvalid(schema_errors)
    return datatype


def parse_datatype_xml(data: bytes) -> DataType:
    """Parse a standalone datatype document with the hardened parser (XmlRejected if not XML)."""
    return parse_datatype(parse_xml(data))


def _read_children(
    element: etree._Element, model: type[BaseModel], path: str, errors: list[FieldError]
) -> dict[str, Any]:
    fields = _fields_by_element(model)
    data: dict[str, Any] = {}
    for child in element:
        if not isinstance(child.tag, str):
            continue  # comment or processing instruction
        qname = etree.QName(child)
        field = fields.get(qname.localname) if qname.namespace == DATATYPES_NAMESPACE else None
        if field is None:
            errors.append((f"{path}/{qname.localname}", "unexpected"))
            continue
        if field.repeated:
            items: list[Any] = data.setdefault(field.name, [])
            child_path = f"{path}/{field.element}[{len(items) + 1}]"
        else:
            child_path = f"{path}/{field.element}"
            if field.name in data:
                errors.append((child_path, "maxOccurs=1"))
                continue
        if field.model is not None:
            value: Any = _read_children(child, field.model, child_path, errors)
        else:
            value = "".join(child.itertext())
            if field.collapse_whitespace:
                value = value.strip()
            if value == "" and field.has_xsd_default:
                continue  # an empty element takes the schema default, as XSD defines
        if field.repeated:
            items.append(value)
        else:
            data[field.name] = value
    return data


# ---------------------------------------------------------------------------------------------- names

_STEP = re.compile(r"([^\[]*)(\[\d+\])?")


def wire_errors(errors: list[FieldError]) -> list[FieldError]:
    """The domain's (path, rule) pairs in Digipost's words: ``appointment/sub_title`` becomes
    ``appointment/sub-title``, ``requiredOneOf=from_time|to_time`` becomes ``requiredOneOf=from|to``."""
    return [_wire_error(path, rule) for path, rule in errors]


def _wire_error(path: str, rule: str) -> FieldError:
    kind, *steps = path.split("/")
    current: type[BaseModel] | None = DATATYPE_KINDS.get(kind)
    wire = [kind]
    for step in steps:
        match = _STEP.fullmatch(step)
        name, index = (match.group(1), match.group(2) or "") if match else (step, "")
        field = _fields_by_name(current).get(name) if current is not None else None
        wire.append((field.element if field is not None else name) + index)
        current = field.model if field is not None else None
    if rule.startswith("requiredOneOf=") and current is not None:
        names = rule.removeprefix("requiredOneOf=").split("|")
        rule = "requiredOneOf=" + "|".join(wire_name(current, name) for name in names)
    return "/".join(wire), rule


# ---------------------------------------------------------------------------------------------- schema

_local = threading.local()


def datatypes_schema() -> etree.XMLSchema:
    """The compiled `datatypes.xsd`, loaded once per thread (an lxml validator keeps per-call state)."""
    schema: etree.XMLSchema | None = getattr(_local, "schema", None)
    if schema is None:
        source = files("postbud.dialects.digipost.schema").joinpath("datatypes.xsd").read_bytes()
        schema = etree.XMLSchema(parse_xml(source))
        _local.schema = schema
    return schema


def _schema_errors(element: etree._Element, model: type[BaseModel], kind: str) -> list[FieldError]:
    schema = datatypes_schema()
    if schema.validate(element):
        return []
    errors = []
    for entry in schema.error_log:
        path = _field_path(element, model, kind, entry.path)
        rule, missing = _schema_rule(entry.message)
        errors.append((f"{path}/{missing}" if missing else path, rule))
    return errors


_NAMESPACED = re.compile(r"\{[^}]*\}")
_EXPECTED = re.compile(r"Expected is (?:one of )?\( ([^)]*) \)")
_TYPE = re.compile(r"is not a valid value of the (?:local )?(?:atomic|union|list) type '([^']*)'")
_FACET_VALUES = {
    "maxLength": re.compile(r"maximum length of '(\d+)'"),
    "minLength": re.compile(r"minimum length of '(\d+)'"),
    "pattern": re.compile(r"by the pattern '(.*)'\.?$"),
    "minInclusive": re.compile(r"minimum value allowed \('([^']*)'\)"),
    "maxInclusive": re.compile(r"maximum value allowed \('([^']*)'\)"),
}
_SCHEMA_TYPE_NAMES = {"money": "decimal", "nonNegativeInt": "int"}


def _schema_rule(message: str) -> tuple[str, str | None]:
    """(rule, name of a missing child element or None) for one libxml2 validation message."""
    text = _NAMESPACED.sub("", message.split(": ", 1)[-1])
    facet = re.search(r"\[facet '(\w+)'\]", text)
    if facet is not None:
        name = facet.group(1)
        if name == "enumeration":
            values = re.search(r"set \{([^}]*)\}", text)
            listed = re.findall(r"'([^']*)'", values.group(1)) if values else []
            return "enumeration=" + "|".join(listed), None
        value = _FACET_VALUES[name].search(text) if name in _FACET_VALUES else None
        return (f"{name}={value.group(1)}" if value else name), None
    if text.startswith("Missing child element"):
        expected = _EXPECTED.search(text)
        names = [name.strip() for name in expected.group(1).split(",")] if expected else []
        if len(names) == 1:
            return "required", names[0]
        return "requiredOneOf=" + "|".join(names), None
    attribute = re.search(r"attribute '([^']*)' is not allowed", text)
    if attribute is not None:
        return "unexpected", f"@{attribute.group(1)}"
    if "is not expected" in text or "content is not allowed" in text or "Character content" in text:
        return "unexpected", None
    datatype = _TYPE.search(text)
    if datatype is not None:
        local = datatype.group(1).removeprefix("xs:")
        return f"type={_SCHEMA_TYPE_NAMES.get(local, local)}", None
    return text.strip(), None


def _field_path(element: etree._Element, model: type[BaseModel], kind: str, libxml_path: str | None) -> str:
    """Turn libxml2's ``/*/*[5]/*`` (relative to the validated element) into ``appointment/address/city``."""
    steps = (libxml_path or "").strip("/").split("/")[1:]
    if not steps:
        return kind
    try:
        found = element.xpath("/".join(steps), namespaces={k: v for k, v in element.nsmap.items() if k})
    except etree.XPathError:
        return kind
    if not isinstance(found, list) or not found or not isinstance(found[0], etree._Element):
        return kind
    lineage: list[etree._Element] = []
    node: etree._Element | None = found[0]
    while node is not None and node is not element:
        lineage.append(node)
        node = node.getparent()
    path = kind
    current: type[BaseModel] | None = model
    for node in reversed(lineage):
        local = etree.QName(node).localname
        field = _fields_by_element(current).get(local) if current is not None else None
        path += f"/{local}"
        if field is not None and field.repeated:
            parent = node.getparent()
            siblings = [s for s in parent if s.tag == node.tag] if parent is not None else [node]
            path += f"[{siblings.index(node) + 1}]"
        current = field.model if field is not None else None
    return path


# ---------------------------------------------------------------------------------------------- render


def render_datatype(dt: DataType) -> etree._Element:
    """The datatype as an element in the datatypes namespace (default namespace, schema order)."""
    root = etree.Element(_qname(dt.kind), nsmap={None: DATATYPES_NAMESPACE})
    _write_children(root, dt)
    return root


def _write_children(parent: etree._Element, value: BaseModel) -> None:
    for field in _fields(type(value)):
        content = getattr(value, field.name)
        if content is None:
            continue
        for item in content if field.repeated else (content,):
            child = etree.SubElement(parent, _qname(field.element))
            if isinstance(item, BaseModel):
                _write_children(child, item)
            else:
                child.text = _lexical(item)


def _lexical(value: object) -> str:
    match value:
        case bool():
            return "true" if value else "false"
        case Enum():
            return str(value.value)
        case Decimal():
            return format(value, "f")  # str() may give an exponent, which xs:decimal forbids
        case datetime() | date():
            return value.isoformat()
        case float():
            return repr(value)
        case int() | str():
            return str(value)
    raise TypeError(f"cannot render {type(value).__name__} as a datatype value")
