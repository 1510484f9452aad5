"""Fine-tuning: MiniLM adjusted on a small labelled set moves its map; Word2Vec continued on your corpus."""

import streamlit as st

from ui import fine_tuning
from ui.frame import page_frame, picture_height

frame = page_frame(
    "Fine-tuning",
    about="Pre-training gives a general model; fine-tuning adjusts it on a small task-specific set. Here MiniLM "
    "is trained for a minute on labelled sentences (a triplet loss pulls same-label sentences together), and the "
    "held-out sentences it never trained on are drawn and measured before and after. This session trains its "
    "own copy: the MiniLM other pages and users see never changes.")

with frame.controls:
    data = fine_tuning.labelled_data()
    clicked = data is not None and st.button("Fine-tune", type="primary", key=fine_tuning.BUTTON_KEY, width="stretch")
    if data is not None:
        st.caption(fine_tuning.budget_text(data))
if data is None:
    st.stop()
with frame.picture:
    result = fine_tuning.run_fine_tuning(data) if clicked else fine_tuning.last_result(data)
    fine_tuning.picture(data, result, picture_height(), key="finetune_chart")
if result is not None:
    with frame.controls:
        fine_tuning.numbers(result)
    frame.notes.caption(
        "Each point is a held-out sentence, coloured by its label; hover to read it. Right: where fine-tuning moved "
        "it, after rotating, reflecting and scaling that map onto the left one (Procrustes), so only real moves "
        "remain. The numbers are measured on the 384 numbers, not on the maps.")
    with frame.below:
        st.markdown("**Accuracy by label** (share of each label's held-out items the k-NN classifier gets right)")
        st.dataframe(fine_tuning.by_label_table(result), hide_index=True)
else:
    frame.notes.caption(
        "The held-out sentences as the pre-trained MiniLM places them, coloured by label. Click “Fine-tune” to "
        "train this session's copy on the other items and see where they move.")
with frame.below:
    st.markdown(
        "**Pre-training, then fine-tuning.** MiniLM learnt its space from a billion sentence pairs; a hundred "
        "labelled sentences cannot teach it language, but they can tell it which differences matter for one task. "
        "The loss (sentence-transformers' `BatchAllTripletLoss`) takes every anchor, positive (same label) and "
        "negative (another label) in a batch and pushes the negative further than the positive. Gains are measured "
        "only on held-out items, never on the items it trained on, which a model can simply memorise.")
    fine_tuning.word2vec_section()
