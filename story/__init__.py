"""The guided story of embeddings, for a class: one step per screen, from tokens to what precision costs."""

from story.steps import STEPS, Step, clamp_step, step_word_list

__all__ = ["STEPS", "Step", "clamp_step", "step_word_list"]
