"""The merge-request gate: who must approve each changed record, and whether they have."""
