// Package numeric holds small numerical building blocks shared by packages
// at different layers (survival, evaluation, features, the CLI).
package numeric
