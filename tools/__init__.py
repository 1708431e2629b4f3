"""Developer tools, kept out of the product package: the benchmarks (`make bench`) and
the project-copy/build helper they share with the tests."""
