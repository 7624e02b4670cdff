SELECT count(*), sum(c) FROM (SELECT range, count(*) AS c FROM range(6000000) GROUP BY range) t;
