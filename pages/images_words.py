"""Images and words in one space: a linear map from digit images onto GloVe word vectors, trained here."""

import streamlit as st

from charts.shared_space import shared_space_figure
from images.shared_space import (
    DEFAULT_HELD_OUT,
    DIGIT_WORDS,
    MAX_HELD_OUT,
    MIN_HELD_OUT,
    digit_word_vectors,
    search_images,
    thumbnail_grid,
    word_vector,
)
from ui.display import font_scale, show_chart
from ui.frame import page_frame, picture_height
from ui.methods import load_embedder
from ui.shared_space import accuracy_line, every_pair_section, shared_space

SCOPES = {"held out": "The held-out images", "all": "All 1,797 images"}

frame = page_frame(
    "Images and words",
    about="One space for images and words, made here: a ridge regression learns in about a second to map each of "
          "scikit-learn's 1,797 handwritten digits (8 × 8 pixels) onto the GloVe vector of its digit's name, from "
          "the images of all but the held-out digits. Then the held-out images are searched by their words. "
          "This is the idea behind DeViSE and CLIP, not CLIP.")

with frame.controls:
    held_out = st.multiselect(
        "Digits held out of training", list(range(len(DIGIT_WORDS))), default=list(DEFAULT_HELD_OUT),
        max_selections=MAX_HELD_OUT, key="images_held_out",
        help="None of their images is used to learn the map: can their words still find them?")
    st.session_state.setdefault("images_query", DIGIT_WORDS[DEFAULT_HELD_OUT[-1]])
    query = st.text_input("Search the images by a word", key="images_query", max_chars=50,
                          help="Any word GloVe knows: the images whose mapped vectors are most cosine-similar to "
                               "its vector, in the original 50 dimensions.")
    scope = st.radio("Search among", list(SCOPES), format_func=SCOPES.__getitem__, key="images_scope",
                     horizontal=True)
    k = st.slider("Images found", 4, 32, 12, step=4, key="images_k")
    thumbnails = st.toggle("Thumbnails on the chart", value=True, key="images_thumbnails",
                           help="One typical image per digit (the one nearest the middle of its digit's points), drawn at its place.")

with frame.picture:
    if len(held_out) < MIN_HELD_OUT:
        st.info(f"Choose {MIN_HELD_OUT} or {MAX_HELD_OUT} digits to hold out of training.")
        st.stop()
    trained = shared_space(held_out)
    if trained is None:
        st.stop()
    space, projection = trained
    glove = load_embedder("glove")
    assert glove is not None  # ``shared_space`` loaded it
    found = query_point = None
    problem = None
    try:
        vector = word_vector(glove.keyed_vectors, query)
    except ValueError as error:
        problem = str(error)
    else:
        word = query.strip().lower()
        pool = space.is_held_out() if scope == "held out" else None
        found = search_images(space, vector, k, word, among=pool)
        query_point = None if word in DIGIT_WORDS else projection.place(vector)[0]
    show_chart(shared_space_figure(space, projection, found, query_point, thumbnails=thumbnails,
                                   height=picture_height(), scale=font_scale()), key="images_chart", picture=True)

frame.notes.caption(accuracy_line(space))

with frame.controls:
    if problem:
        st.warning(problem)
    elif found is not None:
        st.image(thumbnail_grid(found.rows, columns=6, scale=4), width="stretch")
        digits_found = [int(space.labels[row]) for row in found.rows]
        st.caption(f"Best first, the digits they are: {' '.join(map(str, digits_found))}.")

with frame.below:
    st.markdown(
        "**What this is.** A linear map, trained here in about a second: each image's 64 pixels "
        "(standardised with the training images' means and spreads) go through one ridge regression that "
        "predicts 50 numbers, fitted so that an image of a 4 lands near GloVe's vector for “four”. The penalty "
        f"is chosen by cross-validation on the training images only (alpha {space.alpha:g} here). Training used 75 % "
        "of each seen digit's images and none of the held-out digits'. Then every image is a point in GloVe's "
        "space, where words are too: an image can be found by a word, and labelled by its nearest word.")
    st.markdown(
        "**The idea behind CLIP, not CLIP.** DeViSE (2013) mapped image features onto word vectors this way; CLIP "
        "(2021) trains two deep networks, one for images and one for text, on 400 million captioned photographs, "
        "so that a photo and its caption land close together. Here the “image model” is a linear map of raw "
        "pixels and the “captions” are ten number names, whose GloVe vectors know which numbers are mentioned "
        "together, not what their digits look like. Whatever zero-shot success it has comes from that coincidence.")
    st.markdown(
        "**How little the words say.** In GloVe, “two” to “nine” are nearly one vector (cosines of 0.94 to 0.99 "
        "between them; “zero” and “one” stand apart): they appear in the same kinds of sentences. Telling a "
        "held-out 2 from a 6 rests on the small rest. Search all 1,797 images by a held-out word and seen digits "
        "win: the map puts images near the words it was trained on, so “six” finds mostly fives. Among the "
        "held-out images alone, their words do tell them apart, for this pair.")
    st.markdown(
        "**The map.** The 2-D chart is a PCA fitted on the ten words after moving them to their own centre and "
        "scaling each to length 1 (seen from the origin, “two” to “nine” would sit on one spot); the images are placed on the same "
        f"axes, which keep {projection.explained:.0%} of the words' spread. Search and every accuracy use cosine "
        "in the original 50 dimensions, not the chart.")

    every_pair_section(digit_word_vectors(glove.keyed_vectors))
