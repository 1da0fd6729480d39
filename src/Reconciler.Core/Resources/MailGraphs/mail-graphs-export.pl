# The mail_graphs kind's export (MailGraphFacts): Mailgraph's RRDs in DIR, read with RRDs, the Perl binding of
# librrds that mailgraph itself writes them with (the mailgraph package depends on it; the rrdtool command is not
# installed with it, so `rrdtool xport` would be a second code path that most mail hosts cannot run).
# Run as `perl -MRRDs - INDEX DIR MAX_ROWS` by mail-graphs-read.sh, which bounds what it prints in bytes. Records, tab-separated:
#   E INDEX REASON                 DIR cannot be exported (no directory, no mailgraph.rrd, an error of librrd); nothing else follows
#   L INDEX EPOCH                  RRDs::last of mailgraph.rrd: when Mailgraph last wrote
#   P INDEX NAME FIRST STEP ROWS   one archive: NAME day, week, month or year (mailgraph's four AVERAGE archives, finest
#                                  first), STEP its resolution in seconds, FIRST the end of its first row's interval
#   V INDEX NAME SENT RECV BOUNCED REJECTED SPAM VIRUS
#                                  one row of that archive, oldest first: each value the average rate (per second) over the
#                                  row's interval, as RRD keeps it, or U where it has no data
#   C INDEX NAME END SENT RECV BOUNCED REJECTED SPAM VIRUS
#                                  after an archive's rows, when the last update fell inside a row: that row in progress
#                                  (RRD's consolidation data point, which xport never answers), ending at END once it is
#                                  complete; each value the number of messages in its minutes so far (up to the last
#                                  update), or U where none of them is known
#   T INDEX rows                   an archive answered more than MAX_ROWS rows: the export stops there
# A value's text is at most 20 bytes and a reason 300 printable ASCII characters, so an RRD cannot make a line long.
use strict;
use warnings;

my ($index, $dir, $max_rows) = @ARGV;
my @periods = (['day', 86400], ['week', 7 * 86400], ['month', 31 * 86400], ['year', 365 * 86400]);

sub shown {
    my ($text) = @_;
    $text = '' unless defined $text;
    $text =~ s/[^\x20-\x7e]/?/g;
    return length($text) > 300 ? substr($text, 0, 300) . '...' : $text;
}

sub fail {
    printf "E\t%s\t%s\n", $index, shown($_[0]);
    exit 0;
}

sub value {
    my ($v) = @_;
    return 'U' if !defined $v || $v != $v;
    return substr(sprintf('%.12g', $v), 0, 20);
}

-d $dir or fail("$dir is not a directory (is mailgraph installed, and --daemon-rrd this directory?)");
my $mail = "$dir/mailgraph.rrd";
my $virus = "$dir/mailgraph_virus.rrd";
-f $mail or fail("$mail does not exist: Mailgraph has not written yet (it makes its RRDs at the first mail it counts)");

my $last = RRDs::last($mail);
fail("$mail: " . RRDs::error()) if RRDs::error();
fail("$mail: its last update is not a time") unless defined $last && $last =~ /^[0-9]{1,12}$/;
printf "L\t%s\t%s\n", $index, $last;

my $info = RRDs::info($mail);
fail("$mail: " . RRDs::error()) if RRDs::error();
my $step = $info->{step};
fail("$mail: its step is not a number of seconds") unless defined $step && $step =~ /^[1-9][0-9]{0,8}$/;
my %average = averages($info);
my @archives = sort { $a <=> $b } keys %average;
fail("$mail has " . scalar(@archives) . " AVERAGE archives, not Mailgraph's four (day, week, month, year)") unless @archives == 4;

# An RRD's AVERAGE archives, by points per row: the index of each (its consolidation state is read by index).
sub averages {
    my ($of) = @_;
    my %found;
    for my $key (keys %$of) {
        next unless $key =~ /^rra\[([0-9]{1,4})\]\.cf$/ && defined $of->{$key} && $of->{$key} eq 'AVERAGE';
        my $rra = $1;
        my $pdp = $of->{"rra[$rra].pdp_per_row"};
        $found{$pdp} = $rra if defined $pdp && $pdp =~ /^[1-9][0-9]{0,8}$/;
    }
    return %found;
}

# The row in progress of the archive with PDP points per row, for the data sources NAMES of the RRD described by OF:
# for an AVERAGE archive, librrd keeps in cdp_prep[ds].value the sum of the rates of the row's known primary points so
# far (unknown_datapoints counts the others), so the sum times the step is the number of messages Mailgraph wrote in
# those minutes, exactly, ABSOLUTE counts being rates over the step. A point not yet complete (an update off the
# minute) is left out: Mailgraph writes at whole minutes. U for a source whose minutes are all unknown, or all of them
# when the RRD was not written at LAST (the virus RRD behind the mail RRD covers other minutes).
sub in_progress {
    my ($of, $pdp, $last, @names) = @_;
    my %of_average = $of ? averages($of) : ();
    my $rra = $of_average{$pdp};
    my $done = int($last / $step) % $pdp;
    my $same = defined $rra && defined $of->{last_update} && $of->{last_update} eq $last && defined $of->{step} && $of->{step} eq $step;
    return map {
        my $ds = $same ? $of->{"ds[$_].index"} : undef;
        my $sum = defined $ds ? $of->{"rra[$rra].cdp_prep[$ds].value"} : undef;
        my $unknown = defined $ds ? $of->{"rra[$rra].cdp_prep[$ds].unknown_datapoints"} : undef;
        defined $sum && $sum == $sum && defined $unknown && $unknown =~ /^[0-9]{1,9}$/ && $unknown < $done ? $sum * $step : undef
    } @names;
}

# The spam and virus counts are in their own file; Mailgraph run with --no-virus-rrd has none, and they are unknown.
my @defs = map { "DEF:$_->[0]=$mail:$_->[1]:AVERAGE" } (['s', 'sent'], ['r', 'recv'], ['b', 'bounced'], ['j', 'rejected']);
my $virus_info;
if (-f $virus) {
    $virus_info = RRDs::info($virus);
    fail("$virus: " . RRDs::error()) if RRDs::error();
    push @defs, "DEF:p=$virus:spam:AVERAGE", "DEF:v=$virus:virus:AVERAGE";
} else {
    push @defs, 'CDEF:p=s,POP,UNKN', 'CDEF:v=s,POP,UNKN';
}

for my $i (0 .. 3) {
    my ($name, $length) = @{$periods[$i]};
    my $resolution = $step * $archives[$i];
    # Rows that end by the last update only: the row in progress is not in the archive yet.
    my $end = $last - $last % $resolution;
    my ($first, undef, $got, undef, undef, $rows) = RRDs::xport(
        '--start', $end - $length, '--end', $end, '--step', $resolution, '--maxrows', $max_rows,
        @defs, 'XPORT:s', 'XPORT:r', 'XPORT:b', 'XPORT:j', 'XPORT:p', 'XPORT:v');
    fail("$dir: " . RRDs::error()) if RRDs::error();
    fail("$dir: the $name archive answered no rows") unless ref $rows eq 'ARRAY' && defined $first && defined $got;
    printf "P\t%s\t%s\t%s\t%s\t%d\n", $index, $name, value($first), value($got), scalar(@$rows);
    my $count = 0;
    for my $row (@$rows) {
        if (++$count > $max_rows) {
            printf "T\t%s\trows\n", $index;
            exit 0;
        }
        printf "V\t%s\t%s\t%s\n", $index, $name, join("\t", map { value($row->[$_]) } 0 .. 5);
    }
    # The minutes written since the last complete row: the newest traffic, which no xport row holds until the row ends.
    if (int($last / $step) % $archives[$i]) {
        my @counts = (in_progress($info, $archives[$i], $last, qw(sent recv bounced rejected)),
                      in_progress($virus_info, $archives[$i], $last, qw(spam virus)));
        printf "C\t%s\t%s\t%s\t%s\n", $index, $name, $end + $resolution, join("\t", map { value($_) } @counts);
    }
}
