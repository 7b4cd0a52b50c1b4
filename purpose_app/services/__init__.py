"""Use cases: what the app's view-models and the command line call. Plain values in and out."""
