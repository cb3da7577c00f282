"""Report writers over plain results (`ordercheck.results`): JSON, JUnit XML and HTML."""
