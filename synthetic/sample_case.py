"""The fixed facts of the sample corpus: the January 2024 case, its reposts, and the
other releases, as data (the generator in `sample.py` turns them into posts)."""

from __future__ import annotations

from dataclasses import dataclass

SAMPLE_SEED = 20240126
CASE_TITLE = "Presiden Punya Hak Politik, Acuannya UU Pemilu"
CASE_RELEASE_ID = "kominfo-wa-20240126-hakpolitik"
CASE_BANTEN_ID = "banten-ig-20240127"
CASE_SERANG_ID = "kab-serang-ig-20240127"
CASE_KOTA_SERANG_ID = "kota-serang-ig-20240127"
REGIONAL_ORIGIN_ID = "kab-garut-ig-20240305"
PREDATING_ID = "sumut-fb-20240408"
LATE_RELEASE_ID = "kemkominfo-x-20240408"

CASE_TEXT = "\n\n".join(
    (
        f"*{CASE_TITLE}*",
        "Presiden Joko Widodo menegaskan bahwa presiden, sama seperti setiap warga negara, "
        "memiliki hak politik. Namun, pelaksanaan hak tersebut tidak bisa dilepaskan dari aturan "
        "main yang berlaku, dan acuannya adalah Undang-Undang Nomor 7 Tahun 2017 tentang "
        "Pemilihan Umum.",
        "Dalam undang-undang tersebut, Pasal 299 menyebutkan bahwa presiden dan wakil presiden "
        "mempunyai hak melaksanakan kampanye. Sementara itu, Pasal 281 mengatur syaratnya: tidak "
        "menggunakan fasilitas dalam jabatan, kecuali fasilitas pengamanan, dan menjalani cuti di "
        "luar tanggungan negara.",
        "Presiden meminta agar ketentuan undang-undang tersebut dibaca secara utuh sehingga tidak "
        "menimbulkan salah tafsir di tengah masyarakat. Pemerintah juga memastikan seluruh "
        "aparatur sipil negara, TNI, dan Polri tetap menjaga netralitas selama tahapan "
        "Pemilu 2024.",
        "Mari bersama menjaga pemilu yang damai, jujur, dan adil.",
    )
)
"""The release: a neutral explainer of the statement and the articles of the election law."""

BANTEN_TEXT = "\n\n".join(
    (
        "Halo Sahabat Banten!",
        CASE_TITLE.upper(),
        "Presiden Joko Widodo menegaskan bahwa presiden, sama seperti setiap warga negara, "
        "memiliki hak politik. Acuannya adalah Undang-Undang Nomor 7 Tahun 2017 tentang "
        "Pemilihan Umum.",
        "Pasal 299 UU Pemilu menyebutkan presiden dan wakil presiden mempunyai hak melaksanakan "
        "kampanye, dengan syarat yang diatur Pasal 281: tidak menggunakan fasilitas dalam jabatan, "
        "kecuali fasilitas pengamanan, dan menjalani cuti di luar tanggungan negara.",
        "Yuk, baca aturannya secara utuh agar tidak salah tafsir! 🇮🇩",
        "#BantenMaju #PemprovBanten #PemiluDamai2024 #SobatKominfo",
    )
)
"""Banten's repost: greeting, shouted title, a shortened rewrite, its own hashtags."""


# (account_id, local time, zone hours, edits; none for a verbatim copy). A regency that
# copies the release directly posts before its own province's copy on that platform:
# otherwise nothing in the data could tell its true parent from its province.
CASE_COPIES: tuple[tuple[str, str, int, tuple[str, ...]], ...] = (
    ("diskominfo_jabar_ig", "2024-01-27T08:02", 7, ("greeting", "hashtags")),
    ("diskominfo_jakarta_x", "2024-01-27T08:40", 0, ("title_only",)),
    ("diskominfo_jateng_ig", "2024-01-27T09:48", 7, ("greeting", "truncate")),
    ("diskominfo_jatim_fb", "2024-01-27T10:05", 7, ("greeting", "local_line", "hashtags")),
    ("diskominfo_kab_tangerang_fb", "2024-01-27T10:30", 7, ("reduplication", "hashtags")),
    ("diskominfo_diy_ig", "2024-01-27T11:15", 7, ("emoji", "hashtags")),
    ("diskominfo_bali_ig", "2024-01-27T11:20", 8, ("greeting", "hashtags")),
    ("diskominfo_sulsel_fb", "2024-01-27T12:03", 8, ("typos", "hashtags")),
    ("diskominfo_aceh_fb", "2024-01-27T12:44", 7, ()),
    ("diskominfo_sumut_ig", "2024-01-27T13:10", 7, ("greeting", "truncate")),
    ("diskominfo_kota_surabaya_ig", "2024-01-27T13:35", 7, ("case", "hashtags")),
    ("diskominfo_kaltim_ig", "2024-01-27T14:50", 8, ("greeting", "emoji", "hashtags")),
    ("diskominfo_papua_ig", "2024-01-27T16:20", 9, ("greeting", "hashtags")),
    ("diskominfo_kota_makassar_ig", "2024-01-27T17:05", 8, ("title_only", "hashtags")),
    ("diskominfo_ntb_fb", "2024-01-27T19:30", 8, ("local_line",)),
    ("diskominfo_kota_medan_tt", "2024-01-27T20:12", 0, ("title_only", "emoji")),
    ("diskominfo_riau_ig", "2024-01-28T07:55", 7, ("greeting", "reduplication", "hashtags")),
    ("diskominfo_lampung_ig", "2024-01-28T08:30", 7, ("truncate",)),
    ("diskominfo_kalbar_ig", "2024-01-28T09:02", 7, ("greeting", "typos")),
    ("diskominfo_maluku_fb", "2024-01-28T09:40", 9, ("greeting", "local_line", "hashtags")),
    ("diskominfo_sulut_ig", "2024-01-28T10:10", 8, ("emoji", "truncate")),
    ("diskominfo_kota_denpasar_ig", "2024-01-27T10:48", 8, ("greeting", "hashtags")),
    ("diskominfo_kab_garut_ig", "2024-01-27T07:41", 7, ("case", "greeting")),
    ("diskominfo_ntt_ig", "2024-01-28T12:15", 8, ("hashtags",)),
    ("diskominfo_gorontalo_ig", "2024-01-28T13:00", 8, ("greeting", "fix_spelling", "hashtags")),
    ("diskominfo_kota_ambon_ig", "2024-01-28T14:20", 9, ("title_only",)),
    ("diskominfo_kab_banyuwangi_fb", "2024-01-27T09:36", 7, ("greeting", "local_line")),
    ("diskominfo_malut_x", "2024-01-28T16:40", 0, ("title_only", "hashtags")),
    ("diskominfo_kab_mimika_fb", "2024-01-29T09:10", 9, ("greeting", "hashtags")),
    ("diskominfo_sumbar_x", "2024-01-29T10:25", 0, ("truncate", "hashtags")),
    ("diskominfo_kepri_fb", "2024-01-29T13:45", 7, ("typos", "greeting", "hashtags")),
    ("diskominfo_kab_sleman_ig", "2024-01-27T10:52", 7, ("greeting", "emoji")),
)


@dataclass(frozen=True, slots=True)
class OtherRelease:
    key: str
    account_id: str
    at: str
    topic: str
    title: str
    copies: int


# The other releases; their media (if any) is chosen by synthetic/sample_files/generate.py.
SAMPLE_RELEASES: tuple[OtherRelease, ...] = (
    OtherRelease(
        "satelit",
        "kemkominfo_ig",
        "2024-02-05T10:00",
        "digitalisasi",
        "Internet Satelit Jangkau Ribuan Sekolah dan Puskesmas di Daerah 3T",
        8,
    ),
    OtherRelease(
        "kopi",
        "kominfo_wa",
        "2024-02-19T14:10",
        "umkm",
        "Kopi Lokal Naik Kelas Lewat Pelatihan Pemasaran Digital",
        6,
    ),
    OtherRelease(
        "rabies",
        "kominfo_wa",
        "2024-03-11T09:20",
        "vaksinasi",
        "Vaksinasi Rabies Gratis untuk Kucing dan Anjing Peliharaan",
        5,
    ),
    OtherRelease(
        "tps",
        "kemkominfo_ig",
        "2024-02-08T16:00",
        "pemilu",
        "Ayo ke TPS 14 Februari, Suaramu Menentukan Masa Depan",
        10,
    ),
    OtherRelease(
        "hoaks",
        "kemkominfo_x",
        "2024-02-12T11:30",
        "hoaks",
        "Cek Fakta: Tidak Ada Pembagian Bansos Lewat Tautan Berantai",
        4,
    ),
)
