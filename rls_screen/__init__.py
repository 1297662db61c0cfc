"""rls-screen: a screening questionnaire for restless legs syndrome. Not a diagnosis."""

__version__ = "0.1.0"
