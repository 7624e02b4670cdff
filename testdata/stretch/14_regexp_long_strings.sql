SELECT count(*) FROM (SELECT repeat('ab', 2000 + range % 2) AS s FROM range(10000)) t WHERE regexp_matches(s, 'a.*c');
