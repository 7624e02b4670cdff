SELECT count(*) FROM (SELECT repeat('ab', 2000 + range % 2) AS s FROM range(100000)) t WHERE s LIKE '%a%c%';
