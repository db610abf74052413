"""Media decoding: every bad file is a `MediaError` naming it, limits are checked before
anything is decoded, EXIF orientation and reduced JPEG decoding, video sampling; and
`prepare_media` turns each bad file into an error value for its post."""

from __future__ import annotations

import gc
import shutil
import struct
import warnings
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tracer.errors import MediaError
from tracer.media.decode import MediaLimits, load_image, media_kind, sample_video
from tracer.prepare import prepare_media

from ..media_samples import sm

LIMITS = MediaLimits()
CLIP_SECONDS = 5.0


def save_jpeg(path: Path, size: tuple[int, int] = (320, 240), **options: object) -> Path:
    y, x = np.mgrid[0 : size[1], 0 : size[0]]
    pixels = np.stack([x % 256, y % 256, (x * y) % 256], axis=-1).astype(np.uint8)
    Image.fromarray(pixels).save(path, "JPEG", quality=85, **options)
    return path


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def declared_png(path: Path, width: int, height: int) -> Path:
    """A PNG whose header declares `width`×`height` 1-bit pixels, with one tiny row of data:
    a few hundred bytes that would take gigabytes to decode."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    data = zlib.compress(b"\x00" * (1 + (width + 7) // 8))
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", data)
        + png_chunk(b"IEND", b"")
    )
    return path


@contextmanager
def files_left_open() -> Iterator[list[str]]:
    """The files a block leaves open (as the ResourceWarnings of their collection).

    Collected here, so that a leak is reported by the test that caused it and not by
    whichever test the garbage collector happens to run in."""
    leaked: list[str] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        try:
            yield leaked
        finally:
            gc.collect()
    leaked.extend(str(w.message) for w in caught if issubclass(w.category, ResourceWarning))


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A short H.264 clip of the ministry's pan, small so it encodes fast."""
    path = tmp_path_factory.mktemp("video") / "clip.mp4"
    sm.write_mp4(path, sm.clip_frames(CLIP_SECONDS), size=(256, 144))
    return path


# --- bad files: each a MediaError that names the file ------------------------------


def bad_images(folder: Path) -> dict[str, tuple[Path, MediaLimits]]:
    good = save_jpeg(folder / "good.jpg")
    content = good.read_bytes()
    files = {
        "zero_bytes": (folder / "empty.jpg", b""),
        "truncated_jpeg": (folder / "truncated.jpg", content[: len(content) // 2]),
        "corrupt_bytes": (folder / "corrupt.jpg", b"\x00\x01 this is not a JPEG " * 40),
        "text_as_png": (folder / "notes.png", b"Halo Sahabat Banten!\n" * 10),
    }
    out: dict[str, tuple[Path, MediaLimits]] = {}
    for name, (path, data) in files.items():
        path.write_bytes(data)
        out[name] = (path, LIMITS)
    out["over_max_bytes"] = (good, MediaLimits(max_bytes=len(content) - 1))
    out["over_max_pixels"] = (good, MediaLimits(max_pixels=320 * 240 - 1))
    for w, h in ((9000, 8000), (10000, 10000), (20000, 20000)):
        out[f"bomb_{w}x{h}"] = (declared_png(folder / f"bomb_{w}.png", w, h), LIMITS)
    return out


BAD_IMAGES = (
    "zero_bytes",
    "truncated_jpeg",
    "corrupt_bytes",
    "text_as_png",
    "over_max_bytes",
    "over_max_pixels",
    "bomb_9000x8000",
    "bomb_10000x10000",
    "bomb_20000x20000",
)


@pytest.mark.parametrize("case", BAD_IMAGES)
def test_bad_image_raises_media_error_naming_the_file(tmp_path: Path, case: str) -> None:
    path, limits = bad_images(tmp_path)[case]
    with files_left_open(), pytest.raises(MediaError) as caught:  # leaks: see below
        load_image(path, limits, min_side=256)
    assert str(path) in str(caught.value)
    assert caught.value.file == str(path)


def test_refused_images_leave_no_file_open(tmp_path: Path) -> None:
    cases = bad_images(tmp_path)
    with files_left_open() as leaked:
        for path, limits in cases.values():
            with pytest.raises(MediaError):
                load_image(path, limits, min_side=256)
    assert leaked == []


def test_a_bomb_is_refused_by_its_header_not_decoded(tmp_path: Path) -> None:
    """The 72-megapixel PNG is refused by tracer's own limit, before Pillow's warning."""
    path = declared_png(tmp_path / "bomb.png", 9000, 8000)
    with files_left_open(), pytest.raises(MediaError, match="9000×8000 pixels is over"):
        load_image(path, LIMITS)


@pytest.mark.parametrize("name", ["poster.gif", "notes.txt", "archive.zip", "no_suffix"])
def test_unsupported_suffix_raises_media_error_naming_the_file(name: str) -> None:
    with pytest.raises(MediaError, match="unsupported file type") as caught:
        media_kind(Path("media") / name)
    assert caught.value.file == str(Path("media") / name)


def test_suffixes_decide_the_kind() -> None:
    assert media_kind(Path("a/B.JPG")) == "image"
    assert media_kind(Path("a/b.webp")) == "image"
    assert media_kind(Path("a/b.MP4")) == "video"
    assert media_kind(Path("a/b.webm")) == "video"


def test_missing_file_raises_media_error(tmp_path: Path) -> None:
    path = tmp_path / "gone.jpg"
    with pytest.raises(MediaError, match="cannot read") as caught:
        load_image(path, LIMITS)
    assert caught.value.file == str(path)


def bad_videos(folder: Path, clip: Path) -> dict[str, tuple[Path, MediaLimits]]:
    content = clip.read_bytes()
    text = folder / "not_a_video.mp4"
    text.write_bytes(b"Sampurasun Wargi Jabar! " * 200)
    jpeg = folder / "photo.mp4"
    jpeg.write_bytes(save_jpeg(folder / "photo.jpg").read_bytes())
    truncated = folder / "truncated.mp4"
    truncated.write_bytes(content[: len(content) // 3])
    empty = folder / "empty.mp4"
    empty.write_bytes(b"")
    return {
        "text_as_mp4": (text, LIMITS),
        "truncated_mp4": (truncated, LIMITS),
        "zero_bytes": (empty, LIMITS),
        "over_max_seconds": (clip, MediaLimits(max_seconds=2)),
        "over_max_bytes": (clip, MediaLimits(max_bytes=len(content) // 2)),
        "over_max_frame_pixels": (clip, MediaLimits(max_frame_pixels=256 * 144 - 1)),
    }


@pytest.mark.parametrize(
    "case",
    [
        "text_as_mp4",
        "truncated_mp4",
        "zero_bytes",
        "over_max_seconds",
        "over_max_bytes",
        "over_max_frame_pixels",
    ],
)
def test_bad_video_raises_media_error_naming_the_file(
    tmp_path: Path, clip: Path, case: str
) -> None:
    path, limits = bad_videos(tmp_path, clip)[case]
    with pytest.raises(MediaError) as caught:
        sample_video(path, limits)
    assert str(path) in str(caught.value)


def test_a_video_over_the_duration_limit_says_so(clip: Path) -> None:
    with pytest.raises(MediaError, match="over the 2-second limit"):
        sample_video(clip, MediaLimits(max_seconds=2))


# --- good files --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("orientation", "size"), [(1, (200, 100)), (6, (100, 200)), (8, (100, 200))]
)
def test_exif_orientation_is_applied(
    tmp_path: Path, orientation: int, size: tuple[int, int]
) -> None:
    """A phone's JPEG is stored sideways with an orientation tag; the decoded picture is
    upright. The stored picture is red on its left half, blue on its right."""
    stored = Image.new("RGB", (200, 100), (0, 0, 255))
    stored.paste((255, 0, 0), (0, 0, 100, 100))
    exif = Image.Exif()
    exif[0x0112] = orientation
    path = tmp_path / "phone.jpg"
    stored.save(path, "JPEG", quality=95, exif=exif.tobytes())
    image = load_image(path, LIMITS)
    assert image.size == size
    assert image.mode == "RGB"
    red_at = {1: (10, 50), 6: (50, 10), 8: (50, 190)}[orientation]
    r, _, b = image.getpixel(red_at)  # type: ignore[misc]
    assert r > 200 and b < 60


def test_draft_decodes_a_large_jpeg_at_a_reduced_scale(tmp_path: Path) -> None:
    path = save_jpeg(tmp_path / "large.jpg", (2400, 1600))
    assert load_image(path, LIMITS).size == (2400, 1600)
    reduced = load_image(path, LIMITS, min_side=512)
    assert reduced.size == (1200, 800)  # the 1/2 DCT scale: 1/4 would be under 512
    assert min(load_image(path, LIMITS, min_side=256).size) >= 256
    assert load_image(path, LIMITS, min_side=256).size == (600, 400)


def test_draft_leaves_other_formats_and_small_jpegs_alone(tmp_path: Path) -> None:
    small = save_jpeg(tmp_path / "small.jpg", (700, 600))
    assert load_image(small, LIMITS, min_side=512).size == (700, 600)
    png = tmp_path / "large.png"
    Image.open(save_jpeg(tmp_path / "src.jpg", (1600, 1200))).save(png)
    assert load_image(png, LIMITS, min_side=256).size == (1600, 1200)


@pytest.mark.parametrize("every", [1.0, 0.5])
def test_sample_video_samples_at_the_requested_rate(clip: Path, every: float) -> None:
    frames = sample_video(clip, LIMITS, every=every, width=128)
    times = np.array(frames.times)
    assert times[0] == pytest.approx(0.0, abs=0.11)
    assert (np.diff(times) > 0).all()
    assert np.diff(times) == pytest.approx(every, abs=0.11)
    assert len(times) == pytest.approx(CLIP_SECONDS / every, abs=1)
    assert frames.duration == pytest.approx(CLIP_SECONDS, abs=0.2)
    assert (frames.width, frames.height) == (256, 144)
    assert all(f.shape == (72, 128, 3) and f.dtype == np.uint8 for f in frames.frames)
    assert len({f.tobytes() for f in frames.frames}) == len(frames.frames)  # a moving clip


@pytest.mark.parametrize(
    "every",
    [
        1.0,
        0.5,
    ],
)
def test_sampled_times_stay_on_the_grid(clip: Path, every: float) -> None:
    """Each sample is within one frame (0.1 s at 10 fps) of the time asked for, so two
    copies of a clip are sampled at the same moments whatever their encoders did."""
    times = np.array(sample_video(clip, LIMITS, every=every).times)
    grid = np.arange(len(times)) * every
    assert np.abs(times - grid).max() <= 1 / sm.FPS + 1e-6, times


def test_sample_video_default_rate_is_about_two_a_second(clip: Path) -> None:
    frames = sample_video(clip, LIMITS)
    assert len(frames.times) == pytest.approx(2 * CLIP_SECONDS, abs=1)
    assert frames.frames[0].shape[1] == 256


# --- prepare_media: a bad file is an error value, never an exception ---------------


def test_prepare_media_turns_every_bad_file_into_an_error(tmp_path: Path, clip: Path) -> None:
    root = tmp_path
    (root / "media").mkdir()
    clip = Path(shutil.copy(clip, root / "media" / "clip.mp4"))
    cases = {**bad_images(root / "media"), **bad_videos(root / "media", clip)}
    cases["gif"] = (root / "media" / "poster.gif", LIMITS)
    cases["gif"][0].write_bytes(b"GIF89a" + b"\x00" * 64)
    cases["missing"] = (root / "media" / "missing.jpg", LIMITS)
    for name, (path, limits) in cases.items():
        relative = str(path.relative_to(root))
        with files_left_open():
            prepared = prepare_media(root, relative, limits, None)
        assert prepared.path == relative, name
        assert prepared.error, name
        assert prepared.item is None and prepared.fingerprint is None, name
        assert prepared.algorithm is None, name


def test_prepare_media_fingerprints_good_files(tmp_path: Path, clip: Path) -> None:
    save_jpeg(tmp_path / "photo.jpg", (640, 480))
    image = prepare_media(tmp_path, "photo.jpg", LIMITS, None)
    assert image.error is None and image.kind == "image"
    assert image.item is not None and image.item.image is not None
    assert image.item.ocr is None and image.ocr_text is None
    assert image.sha256 is not None and len(image.sha256) == 64
    assert image.algorithm == "pdq+phash-regions" and image.fingerprint
    video = prepare_media(clip.parent, clip.name, LIMITS, None)
    assert video.error is None and video.kind == "video"
    assert video.item is not None and video.item.video is not None
    assert len(video.item.video.frames) == pytest.approx(2 * CLIP_SECONDS, abs=1)
    assert video.algorithm == "phash-frames"
