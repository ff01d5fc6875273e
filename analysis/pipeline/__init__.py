"""The one path from documents to tables: an article's rows, the runs that write them
(in-process, process pools, Dask), output folders and verified caches."""
