"""Query normalisation for chat Indonesian."""

from __future__ import annotations

from embeddings.text import Glossary, Normalizer, fold, squeeze_repeats, stem, tokens


def test_fold_and_tokens() -> None:
    assert fold("  Gmn BIKIN   Akté?? ") == "gmn bikin akte??"
    assert tokens("Syarat2 bikin e-KTP & AK/1 ya!!") == [
        "syarat",
        "syarat",
        "bikin",
        "e-ktp",
        "ak/1",
        "ya",
    ]
    assert tokens("biaya 50rb, 3thn") == ["biaya", "50", "rb", "3", "thn"]


def test_squeeze_repeats_prefers_known_words() -> None:
    assert squeeze_repeats("tolonggg") == "tolong"
    assert squeeze_repeats("maaaaf", {"maaf"}) == "maaf"
    assert squeeze_repeats("aktaaa") == "akta"
    assert squeeze_repeats("saat") == "saat"


def test_glossary_longest_match_and_original_kept() -> None:
    glossary = Glossary(
        [("kartu kuning", "kartu pencari kerja"), ("kk", "kartu keluarga"), ("akte", "akta")]
    )
    words = ["bikin", "kartu", "kuning", "dan", "kk", "akte"]
    assert glossary.expand(words, keep_original=False) == [
        "bikin",
        "kartu",
        "pencari",
        "kerja",
        "dan",
        "kartu",
        "keluarga",
        "akta",
    ]
    assert "kuning" in glossary.expand(words, keep_original=True)
    assert "akte" in glossary.expand(words, keep_original=True)


def test_normalizer_clean_and_terms() -> None:
    normalizer = Normalizer(
        Glossary([("gmn", "bagaimana"), ("bikin", "membuat"), ("akte", "akta")])
    )
    assert normalizer.clean("Gmn bikin AKTEEE anak??") == "bagaimana membuat akta anak"
    terms = normalizer.terms("gmn bikin akte kelahiran sy")
    assert "akta" in terms and "lahir" in terms  # stemmed
    assert "sy" in terms  # not in this glossary, so kept as typed


def test_stem_is_cached_and_leaves_short_words() -> None:
    assert stem("kelahiran") == "lahir"
    assert stem("kk") == "kk"
    assert stem("pernikahan") == "nikah"


def test_spelling_corrector_fixes_typos_of_known_words_only() -> None:
    from embeddings.text import SpellingCorrector

    corrector = SpellingCorrector(
        ["kelahiran", "kematian", "perkawinan", "paspor", "legalisir", "ketenagakerjaan"],
        protected=["pasport"],
    )
    assert corrector.correct("kelahran") == "kelahiran"  # deletion
    assert corrector.correct("kematain") == "kematian"  # transposition counts as one edit
    assert corrector.correct("ketenagakerjan") == "ketenagakerjaan"
    assert corrector.correct("pasport") == "pasport"  # a glossary term is left to the glossary
    assert corrector.correct("hujan") == "hujan"  # an Indonesian word is not "corrected"
    assert corrector.correct("bitcoin") == "bitcoin"  # nothing close enough
    assert corrector.correct("akta") == "akta"  # words under five letters are left alone
    assert corrector.correct("lahr") == "lahr"  # not in this vocabulary


def test_chat_possessive_suffix() -> None:
    normalizer = Normalizer(Glossary([]), vocabulary=["lahir", "syarat", "ijazah"])
    assert normalizer.words("akte lahirny syaratx") == ["akte", "lahir", "syarat"]
    assert normalizer.words("ijazahnye") == ["ijazah"]  # Betawi -nye
    assert normalizer.words("syaratna lahirna") == ["syarat", "lahir"]  # Sundanese -na
    assert normalizer.words("punny") == ["punny"]  # the rest is not a known word


def test_chat_abbreviations_without_vowels_become_knowledge_base_words() -> None:
    from embeddings.text import SpellingCorrector

    corrector = SpellingCorrector({"sekolah": 5, "kelas": 3, "kalus": 1, "lanjut": 2, "kk": 4})
    assert corrector.correct("sklh") == "sekolah"
    assert corrector.correct("kls") == "kelas"  # the more frequent of kelas and kalus
    assert corrector.correct("lnjt") == "lanjut"
    assert corrector.correct("kk") == "kk"  # a word of the knowledge base itself
    assert corrector.correct("wkwk") == "wkwk"  # nothing with those consonants


def test_glossary_meanings_chain_one_step() -> None:
    from embeddings.text import Glossary

    glossary = Glossary([("sedho", "meninggal"), ("meninggal", "meninggal dunia kematian")])
    assert glossary.expand(["bapak", "sedho"]) == [
        "bapak",
        "sedho",
        "meninggal",
        "dunia",
        "kematian",
    ]


def test_a_four_letter_word_missing_one_vowel_gets_it_back() -> None:
    from embeddings.text import SpellingCorrector

    corrector = SpellingCorrector({"usaha": 5, "surat": 4, "lahir": 3, "lihat": 1, "akta": 2})
    assert corrector.correct("usha") == "usaha"
    assert corrector.correct("srat") == "surat"
    assert corrector.correct("lahr") == "lahir"  # lahir, not the rarer lihat (no such edit)
    assert corrector.correct("akta") == "akta"  # a word of the knowledge base itself
    assert corrector.correct("kopi") == "kopi"  # an Indonesian root word stays
    assert corrector.correct("wxyz") == "wxyz"  # no vowel puts it back


def test_a_three_letter_word_missing_one_vowel_gets_it_back() -> None:
    from embeddings.text import SpellingCorrector

    corrector = SpellingCorrector({"nama": 5, "kami": 3, "kua": 2, "sma": 2})
    assert corrector.correct("nma") == "nama"  # "dibalik nma": balik nama
    assert corrector.correct("kmi") == "kami"
    assert corrector.correct("kua") == "kua"  # an acronym of the knowledge base stays
    assert corrector.correct("sma") == "sma"
    assert corrector.correct("dia") == "dia"  # an Indonesian word stays


def test_a_clitic_after_a_hyphen_comes_off_and_hyphenated_doubles_split() -> None:
    from embeddings.text import tokens

    assert tokens("KTP-ku macam mana, KK-nya gmn, CPNS-nya?") == [
        "ktp",
        "macam",
        "mana",
        "kk",
        "gmn",
        "cpns",
    ]
    assert tokens("anak-anak") == ["anak", "anak"]
    assert tokens("e-KTP SPP-IRT ak/1") == ["e-ktp", "spp-irt", "ak/1"]  # names stay whole


def test_a_cue_phrase_matches_as_written_or_as_the_glossary_reads_it() -> None:
    from embeddings.life_events import cue_forms

    normalizer = Normalizer(
        Glossary([("tidak ada penghasilan", "tidak mampu bantuan sosial"), ("gk", "tidak")])
    )
    forms = cue_forms(normalizer, "tidak ada penghasilan")
    typed = set(normalizer.terms("ibu gk ada penghasilan"))  # the phrase's words, not the entry
    assert any(form <= typed for form in forms)  # as written
    assert frozenset(normalizer.terms("tidak ada penghasilan")) in forms  # as read
    # one word as written would match too widely ("meninggal" is stemmed to "tinggal")
    assert len(cue_forms(normalizer, "meninggal")) == 1


def test_a_longer_word_missing_vowels_gets_them_back_when_its_own_vowels_fit() -> None:
    from embeddings.text import SpellingCorrector

    corrector = SpellingCorrector({"pembeli": 4, "persen": 2, "sering": 6, "pemberian": 1})
    assert corrector.correct("pmbli") == "pembeli"  # two vowels left out
    assert corrector.correct("prsen") == "persen"
    assert corrector.correct("sareng") == "sareng"  # Sundanese: its "a" is not in "sering"
    assert corrector.correct("pmbrin") == "pmbrin"  # pemberian is three letters longer


def test_betawi_final_e_reads_as_a_on_words_no_text_has() -> None:
    normalizer = Normalizer(
        Glossary([]), vocabulary=["ada", "cara", "caranya", "mode", "maka"], corrector=None
    )
    assert normalizer._betawi("ade") == "ada"
    assert normalizer._betawi("caranye") == "caranya"
    assert normalizer._betawi("mode") == "mode"  # a word of its own
