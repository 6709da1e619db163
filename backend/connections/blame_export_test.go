package connections

// Blame is blame, for the table test in connections_test.
var Blame = blame
