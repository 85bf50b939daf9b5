-- TEMPORARY placeholder on branch vectorize: the real 0012 is parallel work on another branch.
-- Drop this file (and its commit) when the real migration is on main.
SELECT 1;
