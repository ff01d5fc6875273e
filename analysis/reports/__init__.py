"""HTML reports: the notebooks (``notebooks/``), the helpers they call, and the batch that
plans, executes (papermill, kernels) and publishes them with an index and a manifest."""
