SELECT range FROM range(2000000) ORDER BY range % 7, range DESC;
