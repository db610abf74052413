"""Pictures and clips as evidence: `decode` (files to pixels, with limits), `ocr` and
`textpresence` (the words on a picture), `fingerprint` (image prints), `video` (clip
prints), `index` (region-key look-ups), `align` and `match` (is this a copy of that).
Mirrors `tracer.text`."""
