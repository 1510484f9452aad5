"""Story: the guided path through embeddings, one step per screen, for a teacher in front of a class."""

import streamlit as st

from story import STEPS, clamp_step
from ui.frame import page_frame
from ui.links import current_view, link_to
from ui.state import STORY_STEP
from ui.story_views import render


def move(by: int) -> None:
    """Previous / Next: callbacks run before the widgets are drawn, so they may set the select box's value."""
    st.session_state[STORY_STEP] = clamp_step(st.session_state.get(STORY_STEP, 1) + by)


# The step comes from the session, a shared link (any number) or, after a visit to another page
# (Streamlit forgets an undrawn widget's value), the last view: always within the story.
st.session_state.setdefault(STORY_STEP, current_view().step)
st.session_state[STORY_STEP] = clamp_step(st.session_state[STORY_STEP])
number = st.session_state[STORY_STEP]
step = STEPS[number - 1]

frame = page_frame(
    step.title,
    about="The story of embeddings: from text to vectors to search, one step at a time, each with a live picture "
    "computed here and now. Turn on Presentation mode in the sidebar for a projector; Page Down and Page Up "
    "(or a presenter's clicker) move between steps.")
with frame.controls:
    st.selectbox("Step", list(range(1, len(STEPS) + 1)), key=STORY_STEP,
                 format_func=lambda i: f"{i}. {STEPS[i - 1].title}")
    previous, following = st.columns(2)
    previous.button("Previous", icon=":material/arrow_back:", key="story_previous", width="stretch",
                    on_click=move, args=(-1,), disabled=number == 1, shortcut="PageUp")
    following.button("Next", icon=":material/arrow_forward:", key="story_next", width="stretch",
                     on_click=move, args=(1,), disabled=number == len(STEPS), shortcut="PageDown")
    st.caption(f"Step {number} of {len(STEPS)}")
    st.markdown(step.text)
    st.link_button("Explore this yourself", link_to(step.view), icon=":material/open_in_new:", width="stretch",
                   help="Opens the full page in a new tab, with this step's method, list and projection.")
with frame.picture:
    render(step)
