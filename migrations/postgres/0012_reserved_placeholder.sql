-- Placeholder so 0013 applies on this branch: 0012 is taken by parallel work (jobs-runs: 0012_jobs.sql).
-- DROP THIS FILE (and its commit) when the real 0012 lands on main.
SELECT 1;
