SELECT count(*) FROM (SELECT row_number() OVER (PARTITION BY range % 1000 ORDER BY range DESC) AS rn, sum(range) OVER (ORDER BY range) AS s FROM range(6000000)) t WHERE rn = 1;
