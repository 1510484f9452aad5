"""Preset sentences for the tokens, context and attention views."""

from __future__ import annotations

#: A first sentence to tokenize: "embeddings" splits into four pieces.
TOKENIZATION_EXAMPLE = "Embeddings turn words into vectors."

#: Rare words that a 400,000-word vocabulary like GloVe's does not hold, but WordPiece can still spell.
RARE_WORDS_EXAMPLE = "Quokkas photobombed the otorhinolaryngologist during a selfie."

#: target word -> list of (sense, sentence); every sentence holds the target word.
CONTEXT_PRESETS: dict[str, list[tuple[str, str]]] = {
    "bank": [
        ("river", "We sat on the bank of the river and watched the boats."),
        ("river", "The flood washed away the grassy bank along the stream."),
        ("river", "Ducks nested on the muddy bank near the water."),
        ("money", "She deposited her salary at the bank this morning."),
        ("money", "The bank raised the interest rate on its loans."),
        ("money", "He asked the bank for a mortgage to buy a house."),
    ],
    "bat": [
        ("animal", "A bat flew out of the cave at dusk to hunt insects."),
        ("animal", "The fruit bat hung upside down from the branch."),
        ("animal", "Each bat uses echolocation to find moths in the dark."),
        ("sport", "He swung the bat and hit the ball over the fence."),
        ("sport", "The cricket player picked up a heavier bat."),
        ("sport", "She gripped the baseball bat and waited for the pitch."),
    ],
    "apple": [
        ("fruit", "She ate a crisp red apple after lunch."),
        ("fruit", "The apple fell from the tree into the grass."),
        ("fruit", "Grandma baked an apple pie with cinnamon."),
        ("company", "Apple released a new iPhone this autumn."),
        ("company", "Shares of Apple rose after the earnings report."),
        ("company", "Apple opened a new store in the city centre."),
    ],
    "cell": [
        ("biology", "The cell divides into two daughter cells during mitosis."),
        ("biology", "A red blood cell carries oxygen through the body."),
        ("biology", "The nucleus controls the activity of the cell."),
        ("prison", "The prisoner was locked in his cell for the night."),
        ("prison", "Guards searched every cell in the jail block."),
        ("prison", "He spent ten years in a tiny concrete cell."),
        ("phone", "My cell died because I forgot to charge it."),
        ("phone", "Call me on my cell when you land."),
        ("phone", "She lost her cell on the bus this morning."),
    ],
}

#: The attention example of the seed texts: who is "he", whose is "his tale"?
ATTENTION_EXAMPLE = (
    "The captain, against the suggestions of his crew, chose to save the pirate because he was touched by his tale."
)
