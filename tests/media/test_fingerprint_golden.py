"""Pinned values of the image fingerprints: a Pillow, imagehash or pdqhash upgrade that
moves them is noticed (keyed by `mediafp.VERSION`, like the text anchors)."""

from __future__ import annotations

import hashlib

import pytest
from PIL import Image

from tracer.media.fingerprint import REGION_ANCHORS, REGION_SCALES, VERSION, fingerprint_image

from ..media_samples import sm
from .test_fingerprint import HEADLINE, drawn_picture

GOLDEN: dict[int, dict[str, dict[str, object]]] = {
    # Version 6 added the colour grid; every value of version 5 is unchanged.
    6: {
        "drawn": {
            "pdq": "24b6fb49c7b13f41fb0105b63a1153b4bf498a7e458bac4ec8b4c0cea2567f31",
            "quality": 100,
            "grid_sha256": "310e33b7229691f1632f30f7d8cc0ff71abd8139e9ffc3e2246d0fa60a821a5a",
            "chroma_sha256": "47f157c0f1b8a053ef500bcd323ee7c01c721f8a625963ab0c460859b0a4429e",
            "phash": "e846b5391639683f",
            "regions": [
                "e846b5391639683f",
                "c844b53d17391e3b",
                "c8443b3d374a373a",
                "e8421d3e176d172d",
                "c844b739353b483f",
                "e862953c123d6e1f",
                "c8443d3e37683739",
                "e844b539163b683f",
                "c8c4bb1c1768373b",
                "c9043a3d3a5b3ec9",
                "ea531d0a1d2e196f",
                "c944a67bad36c135",
                "ee63952c921dee12",
                "c8463b173b683f68",
                "c844b339963fc437",
                "c8e6bb14b74c350b",
                "c10d363f723e34c9",
                "ebd10e1a0d0f1cf3",
                "c349a472af34c1af",
                "eb63940dd31ce392",
                "cca719151b1b3be4",
                "c846a33b843becb5",
                "cce6bb24a2eca05d",
                "c3293e3c343cc3cb",
                "e994070b070ef8fb",
                "d24b8975ca3cd52a",
                "ab78dc25f11e6419",
                "ceb319151913eee4",
                "cc66a35bc4334b35",
                "c144b63b3d32593e",
                "ea73950e122d6e1d",
                "c8463d3e39693f48",
                "e8469539963fc037",
                "ee731d0e136d122d",
                "eaf31d1e116e190d",
            ],
        },
        "poster": {
            "pdq": "06ef285689150debf816a1450319f214c440dc327baaf3eaffca7eab5fbaf100",
            "quality": 100,
            "grid_sha256": "3c928d80928204d92ff1c587bb114c35f63b4711f138534b36118883f4255eeb",
            "chroma_sha256": "5a1e980b16e6ea4c425a825355419d19b375d039e22314eb14a5d2c25e101ded",
            "phash": "c1802f6aad2baeb6",
            "regions": [
                "c1802f6aad2beeb2",
                "d1842e7aad4b2e33",
                "80807f7f895fe682",
                "d5d52a2aac2ab2f1",
                "80807f7fa8195d7c",
                "d5d52a2abf4c2a2a",
                "d0842a7a896bb6f3",
                "d1842e7abd096e2e",
                "f1a6465f89592c33",
                "80807ffb9b7fa480",
                "d5d52aaa8a2ab1d5",
                "8080ff7fa4909b79",
                "d5d5a32ab1d4cc0e",
                "f1a642b98976a2d3",
                "f1b48656b799c90c",
                "f9a5467699582c71",
                "80887fbadf6d8491",
                "d5912aaaaa3ad5c3",
                "8080ad7fed24967b",
                "d5d5b12ab855dc42",
                "f9a65289c826f38e",
                "f9b5a656a631d10c",
                "f9a5467689d80cf1",
                "809f7f967fc88190",
                "d5aa2aa32abdd4c1",
                "8080837f7f6acc6d",
                "d5d5952a2a399d1c",
                "f98256994eb38acc",
                "f8b9a0562627f1b1",
                "80807f7f8b1bfca0",
                "d5d52a2aae0aaab3",
                "c1856aaaab6ab7c1",
                "c194af6ab491c93e",
                "f1a40676add90c7c",
                "f1a54676a5d80cdc",
            ],
        },
    },
}
CHANGED = "the image fingerprint moved: bump mediafp.VERSION and pin the new values under it"


def golden_picture(name: str) -> Image.Image:
    if name == "drawn":
        return drawn_picture()
    poster: Image.Image = sm.ministry_poster(HEADLINE, None, "ballot")
    return poster


@pytest.mark.parametrize("name", ["drawn", "poster"])
def test_golden_values(name: str) -> None:
    fp = fingerprint_image(golden_picture(name))
    expected = GOLDEN[VERSION][name]
    assert fp.pdq.to_hex() == expected["pdq"], CHANGED
    assert fp.pdq.quality == expected["quality"], CHANGED
    assert f"{fp.phash:016x}" == expected["phash"], CHANGED
    assert [f"{k:016x}" for k in fp.regions] == expected["regions"], CHANGED
    assert hashlib.sha256(fp.grid).hexdigest() == expected["grid_sha256"], CHANGED
    assert hashlib.sha256(fp.chroma).hexdigest() == expected["chroma_sha256"], CHANGED
    plain = 1 + (len(REGION_SCALES) - 1) * len(REGION_ANCHORS) + 4
    assert len(fp.regions) in (plain, plain + 2)  # + the inside of a patterned frame
