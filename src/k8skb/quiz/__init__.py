"""The quiz: questions generated from the glossary and hand-written in ``quiz/*.yaml``.

Flow: ``generate.generate_questions`` (glossary + seed) and ``handwritten.load_quiz_dir`` (YAML,
validated with file:line problems) each give bilingual ``Question`` records → ``bank.build_bank``
localizes them into the one-language JSON bank the site and the terminal quiz both play from →
``schedule`` picks what to ask (Leitner boxes) and ``progress`` keeps the learner's boxes on disk.
The terminal quiz (``terminal``, reading answers through ``answers``) plays the bank; the site's
``docs/assets/quiz.js`` plays the same bank in the browser.

Where common changes go:

- **A new question kind**: one ``Kind`` entry in ``kinds.py`` (YAML fields, checking and building a
  hand-written entry, the bank answer, terminal display, reading and checking an answer, the
  ``--help`` line, the hint and input prompt in ja/en), added to ``REGISTRY``; a generator rule in
  ``generate.py`` if questions of that kind should be generated from the glossary. Outside Python:
  ``docs/assets/quiz.js`` renders and checks kinds itself (its ``render``, ``isCorrect`` and
  ``answerText`` need the new branch) and ``quiz/FORMAT.md`` documents the YAML.
  ``tests/test_quiz_kinds.py`` fails until the registry, FORMAT.md and quiz.js agree.
- **A new generated question** of an existing kind: a rule in ``generate.py`` (listed in
  ``generate_questions``).
- **A new quiz-quality check**: a function and a ``CHECKS`` name in ``lint.py`` (``k8skb quiz lint``,
  run by ``make test``), and a planted case in ``tests/test_quiz_lint.py``.
- **A new interface word** (button, message): ``words.py``, both languages.
- **A new answer shape or bank field**: ``model.py`` (``Question``, ``BankQuestion``), ``bank.localize``
  and ``quiz.js``; ``BANK_VERSION`` in ``bank.py`` if old readers would misread it.
"""

from k8skb.quiz.kinds import KINDS
from k8skb.quiz.model import Question

__all__ = ["KINDS", "Question"]
