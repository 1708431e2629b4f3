"""Inside TinyCNN: the generator of the article's site (`python -m generator --help`)."""

import os

# OpenMP threads that finish their share of a step wait for the next one. By default they
# spin, which pays only when nothing else wants the core: two builds side by side (an
# editor's build next to `make site`, the tests' workers) then take turns spinning. Two
# 2-thread trainings side by side on a busy machine took 790 to 820 ms per step spinning,
# 42 to 45 ms sleeping. The runtime reads this once, when torch loads, so it is set here,
# before any module of the generator imports torch (tests/conftest.py does the same).
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
