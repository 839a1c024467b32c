package metrics

import "errors"

// NewFaithfulness is not written yet.
func NewFaithfulness() (Metric, error) { return nil, errors.New("metric faithfulness: not implemented yet") }

// NewStats is not written yet.
func NewStats() (Metric, error) { return nil, errors.New("metric stats: not implemented yet") }
