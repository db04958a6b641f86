##! What bottrace found, fed back into Zeek's Intel framework: the C&C servers, download servers,
##! herders, C&C names and download URLs bottrace writes to its intel file (feedback.dir/bottrace.intel,
##! replaced atomically whenever it changes). Set BottraceFeedback::intel_file to that path; Zeek then
##! reads it again on every change, logs each sighting in intel.log and raises Intel::Notice. A verdict
##! bottrace withdraws (expired, or allowlisted since) comes with meta.remove T and is removed from the
##! Intel framework (policy/frameworks/intel/removal), so it stops matching without a restart.

@load base/frameworks/intel
@load base/frameworks/input
@load base/frameworks/cluster
@load frameworks/intel/seen
@load frameworks/intel/do_notice
@load frameworks/intel/removal

module BottraceFeedback;

export {
	## The intel file bottrace writes (its feedback.dir, file bottrace.intel). Empty: nothing is read.
	const intel_file = "" &redef;

	## Hold packet processing until the intel file has been read once: for `zeek -r` over a capture,
	## where the packets would otherwise be done before the file is read. Live sensors leave it F. A file
	## that does not exist when Zeek starts is not waited for (a warning says so); it is read once it comes.
	const wait_for_intel = F &redef;
}

global waiting = F;

event zeek_init() &priority=5
	{
	if ( intel_file == "" )
		return;

	# as the Intel framework does with its read_files: the manager (or a standalone Zeek) reads, and
	# the Intel framework distributes the items to the workers
	if ( Cluster::is_enabled() && Cluster::local_node_type() != Cluster::MANAGER )
		return;

	if ( wait_for_intel && file_size(intel_file) < 0 )
		# the reader would only warn and look again later: packets would wait for a file that may never come
		Reporter::warning(fmt("BottraceFeedback: %s does not exist (yet): not waiting for it", intel_file));
	else if ( wait_for_intel )
		{
		waiting = T;
		suspend_processing();
		}

	Input::add_event([$source=intel_file,
	                  $reader=Input::READER_ASCII,
	                  $mode=Input::REREAD,
	                  $name="bottrace-feedback",
	                  $fields=Intel::Item,
	                  $ev=Intel::read_entry,
	                  $error_ev=Intel::read_error]);
	}

event Input::end_of_data(name: string, source: string)
	{
	if ( name == "bottrace-feedback" && waiting )
		{
		waiting = F;
		continue_processing();
		}
	}
