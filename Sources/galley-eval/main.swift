print("galley-eval")
