"""ipt_core: a pure-domain model of Interpersonal Psychotherapy."""
