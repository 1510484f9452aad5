"""Story: the guided path through embeddings, one step per screen, for a teacher in front of a class."""

import streamlit as st

from story import STEPS, clamp_step
from ui.page_frame import ensure_app_frame
from ui.story_views import render
from ui.view_state import STORY_STEP_KEY, current_view, link_to

ensure_app_frame()


def move(by: int) -> None:
    """Previous / Next: callbacks run before the widgets are drawn, so they may set the select box's value."""
    st.session_state[STORY_STEP_KEY] = clamp_step(st.session_state.get(STORY_STEP_KEY, 1) + by)


# The step comes from the session, a shared link (any number) or, after a visit to another page
# (Streamlit forgets an undrawn widget's value), the last view: always within the story.
st.session_state.setdefault(STORY_STEP_KEY, current_view().step)
st.session_state[STORY_STEP_KEY] = clamp_step(st.session_state[STORY_STEP_KEY])

st.title("The story of embeddings")
st.caption("From text to vectors to search, one step at a time, each with a live picture computed here and now. "
           "Turn on Presentation mode in the sidebar for a projector; Page Down and Page Up (or a presenter's "
           "clicker) move between steps.")

chooser, previous, following = st.columns([5, 2, 2], vertical_alignment="bottom")
number = chooser.selectbox("Step", list(range(1, len(STEPS) + 1)), key=STORY_STEP_KEY,
                           format_func=lambda i: f"{i}. {STEPS[i - 1].title}")
previous.button("Previous", icon=":material/arrow_back:", key="story_previous", width="stretch",
                on_click=move, args=(-1,), disabled=number == 1, shortcut="PageUp")
following.button("Next", icon=":material/arrow_forward:", key="story_next", width="stretch",
                 on_click=move, args=(1,), disabled=number == len(STEPS), shortcut="PageDown")

step = STEPS[number - 1]
st.caption(f"Step {number} of {len(STEPS)}")
st.header(step.title)
st.markdown(step.text)
render(step)
st.link_button("Explore this yourself", link_to(step.view), icon=":material/open_in_new:",
               help="Opens the full page in a new tab, with this step's method, list and projection.")
