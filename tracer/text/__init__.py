"""Text as evidence: `fingerprint` (winnowed anchors and line keys of normalised text),
`index` (anchor look-ups), `match` (alignment scores and the accept rules). Mirrors
`tracer.media`."""
