"""The media of `sample_data/` and the script that writes it (`generate`): drawn
scenes, posters and clips, and the edits regional offices make to them."""
