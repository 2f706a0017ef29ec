"""Query understanding for chat Indonesian: normalise, expand the glossary, stem.

Pure functions and small classes with no model behind them, so they are cheap to test
and to run on every message.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from functools import lru_cache

_TOKEN = re.compile(r"[a-z0-9]+(?:[-/][a-z0-9]+)*")
_REPEAT = re.compile(r"([a-z])\1{2,}")
_REDUP = re.compile(r"\b([a-z]{3,})2\b")
_VOWELS = re.compile(r"[aeiou]")
_CLITIC = re.compile(r"\b([a-z0-9]+)-(?:nya|ny|ku|mu|lah|kah|pun)\b")  # ktp-ku, kk-nya
_HYPHEN_REDUP = re.compile(r"\b([a-z]{2,})-\1\b")  # anak-anak
LONGEST_DROPPED = 7  # a longer unknown word may have lost vowels too ("pmbli": pembeli)
SHORT_WORDS = (3, 4)  # an unknown word this long may be a longer word with one vowel left out
_NUMBER_UNIT = re.compile(r"\b(\d+)(rb|ribu|jt|juta|thn|th|bln|hr)\b")

# Words that carry no meaning for retrieval. Question words and negations stay out of
# this list on purpose: "berapa" (fee), "di mana" (place), "terlambat" matter.
STOPWORDS = frozenset(
    """
    yang dan atau di ke dari untuk dengan ini itu ada adalah akan saya aku kami kita
    anda kamu dia ia mereka nya pun lah kah tah dong deh sih kok ya yah nih tuh kak bang
    bu pak mas mbak om tante admin halo hai hi permisi mohon tolong terima kasih makasih
    selamat pagi siang sore malam mau ingin bisa apa sudah belum juga lagi saja hanya
    sangat the a an of to for in on at is are am be i my me we our you your it this that
    do does how what can please hello thanks and or but with by from as was were been
    being has have had will would should could who whom whose which there here they them
    their he him his she her its im i'm s m d ll re ve just also so if than then too very
    into about up out all any some
    """.split()
)


def fold(text: str) -> str:
    """Lower case, strip accents and odd characters, collapse white space."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.lower().split())


def tokens(text: str) -> list[str]:
    """Word tokens of folded text; hyphenated and slashed words stay whole (ak/1, e-ktp),
    but a clitic after a hyphen comes off ("KTP-ku", "KK-nya": ktp, kk) and a word written
    twice with a hyphen is two words ("anak-anak")."""
    text = _REDUP.sub(r"\1 \1", fold(text))  # anak2 -> anak anak
    text = _NUMBER_UNIT.sub(r"\1 \2", text)
    text = _HYPHEN_REDUP.sub(r"\1 \1", _CLITIC.sub(r"\1", text))
    return _TOKEN.findall(text)


def squeeze_repeats(token: str, vocabulary: frozenset[str] | set[str] = frozenset()) -> str:
    """tolonggg -> tolong, maaaf -> maaf: runs of three or more letters shrink.

    A run shrinks to two letters when that spelling is a known word, else to one.
    """
    if not _REPEAT.search(token):
        return token
    double = _REPEAT.sub(r"\1\1", token)
    if double in vocabulary:
        return double
    return _REPEAT.sub(r"\1", token)


class Glossary:
    """Longest-match replacement of everyday words with the services' terms."""

    def __init__(self, entries: Iterable[tuple[str, str]]) -> None:
        self._map: dict[tuple[str, ...], list[str]] = {}
        for term, means in entries:
            key = tuple(tokens(term))
            if key:
                self._map[key] = tokens(means)
        # one step of chaining, so that a regional word means what its meaning means
        # ("sedho" -> meninggal -> meninggal dunia kematian)
        for key, value in list(self._map.items()):
            chained: list[str] = []
            for word in value:
                chained.append(word)
                further = self._map.get((word,))
                if further is not None and (word,) != key:
                    chained.extend(further)
            self._map[key] = list(dict.fromkeys(chained))
        # by first word: the lengths of the terms that start with it, longest first
        self._sizes: dict[str, list[int]] = {}
        for key in self._map:
            self._sizes.setdefault(key[0], []).append(len(key))
        for sizes in self._sizes.values():
            sizes.sort(reverse=True)

    def __len__(self) -> int:
        return len(self._map)

    def expand(self, words: list[str], keep_original: bool = True) -> list[str]:
        """Replace glossary terms; with ``keep_original`` the typed word stays too."""
        out: list[str] = []
        i = 0
        while i < len(words):
            for size in self._sizes.get(words[i], ()):
                key = tuple(words[i : i + size])
                replacement = self._map.get(key)
                if replacement is not None:
                    if keep_original:
                        out.extend(w for w in key if w not in replacement)
                    out.extend(replacement)
                    i += size
                    break
            else:
                out.append(words[i])
                i += 1
        return out


@lru_cache(maxsize=1)
def root_words() -> frozenset[str]:
    """Sastrawi's dictionary of Indonesian root words (about 30k)."""
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    return frozenset(StemmerFactory().get_words())


@lru_cache(maxsize=1)
def _stemmer():  # type: ignore[no-untyped-def]
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    return StemmerFactory().create_stemmer()


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    """Indonesian stem (Sastrawi) of one lower-case word, cached."""
    if len(word) <= 3 or not word.isalpha():
        return word
    result: str = _stemmer().stem(word)
    return result or word


class SpellingCorrector:
    """Fixes typos of knowledge-base words ("kelahran" -> "kelahiran", "pasport" -> "paspor").

    Only words that are neither known to the knowledge base, nor glossary terms, nor
    Indonesian words (by their Sastrawi root) are corrected, and only to a vocabulary word
    within one edit (two for words of eight letters or more) that starts with the same
    letter; words under five letters are left to the glossary, but an unknown four-letter
    word that is a knowledge-base word with one vowel left out gets it back ("usha" ->
    usaha, "srat" -> surat; the most frequent such word). Chat abbreviations that
    drop every vowel ("sklh", "kls", "lnjt") become the most frequent knowledge-base word
    with those consonants in that order (sekolah, kelas, lanjut).
    """

    def __init__(
        self, vocabulary: Iterable[str] | Mapping[str, int], protected: Iterable[str] = ()
    ) -> None:
        counts = vocabulary if isinstance(vocabulary, Mapping) else dict.fromkeys(vocabulary, 1)
        self._counts = counts
        self.vocabulary = frozenset(w for w in counts if len(w) >= 4 and w.isalpha())
        self.known = frozenset(counts)
        self.protected = frozenset(protected)
        self._by_initial: dict[str, list[str]] = {}
        for word in sorted(self.vocabulary):
            self._by_initial.setdefault(word[0], []).append(word)
        self._skeletons: dict[str, str] = {}
        for word in sorted(self.vocabulary, key=lambda w: (-counts[w], w)):
            self._skeletons.setdefault(_VOWELS.sub("", word), word)
        self._cache: dict[str, str] = {}

    def correct(self, word: str) -> str:
        """The corrected word, or the word itself."""
        if word in self.known or word in self.protected or not word.isalpha():
            return word
        if 3 <= len(word) <= 6 and not _VOWELS.search(word):
            return self._skeletons.get(word, word)  # "sklh" -> "sekolah"
        if len(word) in SHORT_WORDS and word not in root_words():
            return self._dropped_vowel(word)  # "usha" -> usaha, "srat" -> surat, "nma" -> nama
        if len(word) < 5 or word in self.vocabulary:
            return word
        cached = self._cache.get(word)
        if cached is not None:
            return cached
        result = word
        if word not in root_words() and stem(word) not in root_words():
            from rapidfuzz import process
            from rapidfuzz.distance import OSA

            limit = 2 if len(word) >= 8 else 1
            match = process.extractOne(
                word,
                self._by_initial.get(word[0], []),
                scorer=OSA.distance,
                score_cutoff=limit,
            )
            if match is not None:
                result = match[0]
            elif len(word) <= LONGEST_DROPPED:
                result = self._vowels_left_out(word)  # "pmbli" -> pembeli, "prsen" -> persen
        if len(self._cache) < 100_000:
            self._cache[word] = result
        return result

    def _vowels_left_out(self, word: str) -> str:
        """The most frequent knowledge-base word with the consonants of ``word`` in order
        and every letter of it, at most two vowels more ("pmbli": pembeli), else the word.
        The typed vowels must stand in it too: "sareng" is no "sering"."""
        found = self._skeletons.get(_VOWELS.sub("", word))
        if found is None or not 0 < len(found) - len(word) <= 2:
            return word
        letters = iter(found)
        return found if all(ch in letters for ch in word) else word

    def _dropped_vowel(self, word: str) -> str:
        """The most frequent knowledge-base word that is ``word`` with one vowel typed back
        in ("usha": usaha), else the word."""
        found = {
            word[:i] + vowel + word[i:] for i in range(1, len(word) + 1) for vowel in "aiueo"
        } & self.vocabulary
        if not found:
            return word
        return max(sorted(found), key=lambda w: self._counts.get(w, 0))


def _english(words: list[str]) -> bool:
    from embeddings.language import detect_language  # language.py imports this module

    return detect_language(" ".join(words)) == "en"


class Normalizer:
    """Turns a chat message into clean text (for the encoder) and terms (for BM25)."""

    def __init__(
        self,
        glossary: Glossary,
        vocabulary: Iterable[str] = (),
        corrector: SpellingCorrector | None = None,
    ) -> None:
        self.glossary = glossary
        self.vocabulary = frozenset(vocabulary)
        self.corrector = corrector

    def _chat_suffix(self, word: str) -> str:
        """'lahirny' -> 'lahir': the possessive -nya typed as -ny (or -x, or Betawi's -nye:
        "ijazahnye"), when the rest is known."""
        for suffix in ("nye", "ny", "x"):
            if word.endswith(suffix) and len(word) > 4 + len(suffix):
                base = word[: -len(suffix)]
                if base in self.vocabulary:
                    return base
        # Sundanese and Javanese -na ("prosesna", "akadna"), only on a word no text has
        # ("bencana", "sarana" are words of their own)
        if word.endswith("na") and len(word) > 5 and word not in self.vocabulary:
            base = word[:-2]
            if base in self.vocabulary:
                return base
        return word

    def words(self, text: str) -> list[str]:
        """Tokens with repeated letters squeezed and typos of known words corrected."""
        words = [self._chat_suffix(squeeze_repeats(t, self.vocabulary)) for t in tokens(text)]
        if self.corrector is not None and not _english(words):
            # the corrector knows the knowledge base's (mostly Indonesian) words: in an
            # English message it would "fix" sister into sistem
            words = [self.corrector.correct(self._betawi(w)) for w in words]
        return words

    def _betawi(self, word: str) -> str:
        """Betawi's final -e for -a, on a word no text has whose -a form one has ("ade":
        ada, "katenye": katanya); not in English messages ("make" is no "maka")."""
        if len(word) < 3 or word in self.vocabulary or not word.isalpha():
            return word
        for suffix, standard in (("nye", "nya"), ("", "")):
            base = word[: len(word) - len(suffix)]
            if word.endswith(suffix) and base.endswith("e") and len(base) >= 3:
                root = base[:-1] + "a"
                if root in self.vocabulary:
                    return root + standard if root + standard in self.vocabulary else root
        return word

    def clean(self, text: str) -> str:
        """Text for the dense encoder: folded, squeezed, slang replaced by standard words."""
        return " ".join(self.glossary.expand(self.words(text), keep_original=False))

    def terms(self, text: str) -> list[str]:
        """Stemmed content terms for lexical search, glossary expanded, stop words out."""
        expanded = self.glossary.expand(self.words(text), keep_original=True)
        return [stem(w) for w in expanded if w not in STOPWORDS]

    def typed_terms(self, text: str) -> list[str]:
        """Like :meth:`terms` without the glossary: the words the citizen typed, stemmed."""
        return [stem(w) for w in self.words(text) if w not in STOPWORDS]

    def phrase_terms(self, text: str) -> list[str]:
        """Like :meth:`terms` but keeping stop words: "mau lahiran" is not "lahiran"."""
        expanded = self.glossary.expand(self.words(text), keep_original=True)
        return [stem(w) for w in expanded]
