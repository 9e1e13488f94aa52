# Prints every failed test in the TRX files it reads, each with the first lines of its message (cut to 300
# characters), so the end of a run's output names what failed: CI shows only a run's last lines.
/<UnitTestResult / {
  failed = ($0 ~ /outcome="Failed"/)
  if (failed) { match($0, /testName="[^"]*"/); print "FAILED " substr($0, RSTART + 10, RLENGTH - 11) }
}
failed && /<Message>/ { inmessage = 1; lines = 0; sub(/.*<Message>/, "") }
failed && inmessage {
  done = sub(/<\/Message>.*/, "")
  if (lines++ < 6) print "  " substr($0, 1, 300)
  if (done) { inmessage = 0; failed = 0 }
}
