-- TEMPORARY placeholder so 0016 applies on the console-raw branch; the real 0015 is parallel work. Drop this file (its commit) when the real one is on main.
SELECT 1;
