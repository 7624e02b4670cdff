SELECT count(*) FROM range(2000000) a JOIN range(1000) b ON a.range % 1000 = b.range AND a.range + b.range < 0;
