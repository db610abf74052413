"""The registry of offices: 38 provinces + 514 regencies/cities, codes, name matching."""

from __future__ import annotations

import pytest

from tracer.offices.registry import Office, builtin_registry, name_key, normalize_code


def test_the_registry_has_552_offices() -> None:
    registry = builtin_registry()
    assert len(registry) == 552
    assert len(registry.provinces()) == 38
    assert len(registry.regencies()) == 514
    kinds = [o.kind for o in registry]
    assert (kinds.count("regency"), kinds.count("city")) == (416, 98)


def test_codes_are_unique_and_nested() -> None:
    registry = builtin_registry()
    codes = [o.code for o in registry]
    assert len(set(codes)) == len(codes)
    for office in registry:
        if office.kind == "province":
            assert office.province_code == office.code and len(office.code) == 2
        else:
            assert office.code.startswith(office.province_code + ".")
            assert registry.province_of(office).kind == "province"
    assert sum(len(registry.regencies(p.code)) for p in registry.provinces()) == 514


def test_the_papua_provinces_of_2022_are_there() -> None:
    registry = builtin_registry()
    names = {o.code: o.name for o in registry.provinces()}
    assert names["93"] == "Papua Selatan"
    assert names["94"] == "Papua Tengah"
    assert names["95"] == "Papua Pegunungan"
    assert names["96"] == "Papua Barat Daya"


def test_tiers() -> None:
    registry = builtin_registry()
    assert registry.resolve("Banten").tier == "province"
    assert registry.resolve("Kota Serang").tier == "regency"
    assert registry.resolve("Kab. Serang").tier == "regency"


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("Kab. Serang", "36.04"),
        ("Kabupaten Serang", "36.04"),
        ("KAB SERANG", "36.04"),
        ("kab.serang", "36.04"),
        ("Pemkab Serang", "36.04"),
        ("Kota Serang", "36.73"),
        ("3604", "36.04"),
        ("36.04", "36.04"),
        (" 36 ", "36"),
        ("Prov. Banten", "36"),
        ("Provinsi Banten", "36"),
        ("DKI Jakarta", "31"),
        ("DIY", "34"),
        ("Kota Adm. Jakarta Pusat", "31.71"),
        ("Jakarta Pusat", "31.71"),
        ("Kepulauan Seribu", "31.01"),
        ("Kab. Toli Toli", "72.04"),
        ("Tolitoli", "72.04"),
        ("Kota Pangkalpinang", "19.71"),
        ("Kota Bau-Bau", "74.72"),
    ],
)
def test_names_and_codes_resolve(written: str, code: str) -> None:
    assert builtin_registry().resolve(written).code == code


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ("Serang", "ambiguous"),
        ("Gorontalo", "ambiguous"),
        ("Kabupaten Atlantis", "no office is named"),
        ("99.99", "no office has the Kemendagri code"),
        ("", "no office is named"),
    ],
)
def test_names_that_do_not_resolve(written: str, reason: str) -> None:
    with pytest.raises(LookupError, match=reason):
        builtin_registry().resolve(written)


def test_match_narrows_by_kind_and_province() -> None:
    registry = builtin_registry()
    assert {o.code for o in registry.match("Serang")} == {"36.04", "36.73"}
    assert [o.code for o in registry.match("Serang", province_code="36")] == ["36.04", "36.73"]
    assert [o.code for o in registry.match("Provinsi Gorontalo")] == ["75"]
    assert registry.match("Kota Banten") == ()


def test_name_keys_and_codes() -> None:
    assert name_key("Kab. Serang") == name_key("KABUPATEN  SERANG")
    assert name_key("Kota Serang").kind == "city"
    assert name_key("Serang").kind is None
    assert normalize_code("3604") == "36.04"
    assert normalize_code("36.04.01") is None
    assert normalize_code("Serang") is None


def test_offices_are_frozen_values() -> None:
    office = builtin_registry().resolve("Banten")
    assert office == Office("36", "Banten", "province", "36")
    with pytest.raises(AttributeError):
        office.name = "x"  # type: ignore[misc]


def test_every_office_is_found_by_its_own_name_and_code() -> None:
    registry = builtin_registry()
    for office in registry:
        assert registry.by_code(office.code) == office
        assert registry.by_code(office.code.replace(".", "")) == office
        assert office in registry.match(office.name)
        assert office in registry.match(office.name.upper().replace("KABUPATEN ", "KAB. "))
