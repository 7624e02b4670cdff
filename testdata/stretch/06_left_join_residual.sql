SELECT count(*) FROM range(2000000) a LEFT JOIN range(2000000) b ON a.range = b.range AND a.range + b.range < 0;
