SELECT count(*) FROM range(4000000) a LEFT JOIN range(4000000) b ON a.range = b.range;
