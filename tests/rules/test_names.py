import jellyfish
from hypothesis import assume, given
from hypothesis import strategies as st

from safeguard.rules import names

NAME = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=4, max_size=12)


def _share_a_key(a: str, b: str) -> bool:
    return bool(names.deletion_keys(a) & names.deletion_keys(b))


@given(NAME, st.integers(0, 11), st.sampled_from("abcdefghijklmnopqrstuvwxyz"))
def test_one_substitution_shares_a_key(name, pos, letter):
    pos %= len(name)
    assert _share_a_key(name, name[:pos] + letter + name[pos + 1 :])


@given(NAME, st.integers(0, 11))
def test_one_deletion_or_insertion_shares_a_key(name, pos):
    pos %= len(name)
    shorter = name[:pos] + name[pos + 1 :]
    assume(len(shorter) > names.SHORT_NAME)
    assert _share_a_key(name, shorter)


@given(NAME, st.integers(0, 10))
def test_swapping_neighbours_shares_a_key(name, pos):
    pos %= len(name) - 1
    swapped = name[:pos] + name[pos + 1] + name[pos] + name[pos + 2 :]
    assert _share_a_key(name, swapped)


@given(NAME, NAME)
def test_names_sharing_no_key_are_more_than_one_edit_apart(a, b):
    if not _share_a_key(a, b):
        assert jellyfish.damerau_levenshtein_distance(a, b) > 1


def test_folding_ignores_case_accents_and_punctuation():
    assert names.fold("O'Brien-Smythé") == "obriensmythe"


def test_sound_alike_names_share_a_soundex_key():
    assert names.name_keys("Stephenson") & names.name_keys("Stevenson")


# Against: one name compared with many, each answer worked out once, is the plain functions' answer exactly.
SPELLINGS = st.text(alphabet="abcdeijosAEJOS 'é-", max_size=10)


@given(SPELLINGS, st.lists(SPELLINGS, max_size=6))
def test_against_answers_as_the_functions_do(name, others):
    against = names.Against(name)
    for other in others + others:  # each a second time: the kept answer
        assert against.similarity(other) == names.similarity(name, other)
        assert against.within_one_edit_or_sounds_alike(other) == (
            names.within_one_edit(name, other) or names.sounds_alike(name, other)
        )


def test_against_answers_as_the_functions_do_for_names_that_fold_to_nothing():
    for name, other in [("", "Smith"), ("Smith", ""), ("'-", "Smith"), ("", ""), ("O'Neil", "ONeil")]:
        against = names.Against(name)
        assert against.similarity(other) == names.similarity(name, other)
        assert against.within_one_edit_or_sounds_alike(other) == (
            names.within_one_edit(name, other) or names.sounds_alike(name, other)
        )
