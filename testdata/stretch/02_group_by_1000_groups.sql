SELECT range % 1000 AS k, count(*), sum(range), avg(range), min(range), max(range) FROM range(6000000) GROUP BY k;
