"""The quiz: questions generated from the glossary and hand-written in ``quiz/*.yaml``.

Flow: ``generate.generate_questions`` (glossary + seed) and ``handwritten.load_quiz_dir`` (YAML,
validated with file:line problems) each give bilingual ``Question`` records → ``bank.build_bank``
localizes them into the one-language JSON bank the site and the terminal quiz both play from →
``schedule`` picks what to ask (Leitner boxes) and ``progress`` keeps the learner's boxes on disk.
"""

from k8skb.quiz.kinds import KINDS
from k8skb.quiz.model import Question

__all__ = ["KINDS", "Question"]
